package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
)

// writeTSV writes the rows as tab-separated files for LOAD DATA INFILE:
// one file per table, \N for NULL, timestamps as the database's wall clock.
func writeTSV(dir string, d *dataset) error {
	files := map[string]*bufio.Writer{}
	var closers []*os.File
	open := func(name string) (*bufio.Writer, error) {
		if w, ok := files[name]; ok {
			return w, nil
		}
		f, err := os.Create(filepath.Join(dir, name+".tsv"))
		if err != nil {
			return nil, err
		}
		closers = append(closers, f)
		w := bufio.NewWriterSize(f, 1<<20)
		files[name] = w
		return w, nil
	}
	defer func() {
		for _, f := range closers {
			f.Close()
		}
	}()
	for _, c := range d.changes {
		table := changeKinds[c.kind] + "_changes"
		w, err := open(table)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%s\t%s\n", c.user, c.at.In(zoneOf(c.kind)).Format(textLayout))
	}
	w, err := open("users")
	if err != nil {
		return err
	}
	for i, a := range d.accounts {
		fmt.Fprintf(w, "%d\t%s\t%s@bank.example\t%s\n", i+1, a.name, a.name, a.role)
	}
	w, err = open("activity_logs")
	if err != nil {
		return err
	}
	for _, e := range d.activity {
		id, attempted := `\N`, `\N`
		if e.account > 0 {
			id = fmt.Sprint(e.account)
		} else {
			attempted = e.attempted
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", id, attempted, e.at.In(london).Format(textLayout), e.op, e.status, e.ip)
	}
	for _, w := range files {
		if err := w.Flush(); err != nil {
			return err
		}
	}
	for _, f := range closers {
		if err := f.Close(); err != nil {
			return err
		}
	}
	closers = nil
	return nil
}
