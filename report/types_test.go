package report

import (
	"reflect"
	"testing"

	"github.com/tealeg/xlsx/v3"

	"cam/config"
)

// With takeover types of one's own, the workbook's Suspicious Users sheet
// has a column per configured type (the default four keep their names)
// and the Evidence sheet lists only the changes a takeover's window holds.
func TestWorkbookNamesConfiguredTypes(t *testing.T) {
	res := fixture()
	res.TakeoverTypes = []config.ChangeType{config.ChangePassword, config.ChangeEmail, config.ChangePhone, config.ChangeToken, "mfa_device"}
	paths := exportAll(t, t.TempDir(), FullView(res))
	wb, err := xlsx.OpenFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	want := append(append([]string{}, SuspiciousHeader...), "Mfa device changed (UTC)")
	if got := rowStrings(t, wb.Sheet[SheetSuspicious], 0); !reflect.DeepEqual(got, want) {
		t.Errorf("suspicious header = %v, want %v", got, want)
	}
	if got := SuspiciousCSVHeaderFor(res.TakeoverTypes); got[len(got)-1] != "mfa_device_changed" || len(got) != 8 {
		t.Errorf("CSV header = %v", got)
	}
	if !reflect.DeepEqual(SuspiciousHeaderFor(nil), SuspiciousHeader) || !reflect.DeepEqual(SuspiciousCSVHeaderFor(nil), SuspiciousCSVHeader) {
		t.Error("the default four's headers changed")
	}
}
