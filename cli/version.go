package cli

import (
	"fmt"
	"runtime/debug"
)

// Version is set at build time with -ldflags "-X cam/cli.Version=v1.2.3";
// otherwise it comes from the module's build information.
var Version = ""

// version returns cam's version string.
func version() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v := bi.Main.Version; v != "" && v != "(devel)" {
			return v
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return "dev-" + s.Value[:12]
			}
		}
	}
	return "dev"
}

func runVersion(args []string, io IO) int {
	fs := newFlags("version", "cam version", io)
	if _, code := parseFlags(fs, args, io); code >= 0 {
		return code
	}
	fmt.Fprintf(io.Out, "cam %s\n", version())
	return ExitOK
}
