package cli

func runTUI(args []string, io IO) int  { return ExitUsage }
func runDemo(args []string, io IO) int { return ExitUsage }
