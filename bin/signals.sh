# Signal handling for the programs ./fleet starts; sourced by ./fleet.
#
# A shell starts a background job (`./fleet up &` in a script) with SIGINT ignored, and the JVM
# leaves an ignored SIGINT ignored, so `kill -INT` (or Ctrl-C after `fg`) would not stop the stack.
# Bash cannot undo a signal ignored on entry, but coreutils' env (8.31 or newer) can reset it for
# the program it executes. Prints that prefix, or nothing where env lacks the option.
fleet_default_signals() {
  if env --default-signal=INT true >/dev/null 2>&1; then
    echo "env --default-signal=INT,TERM"
  fi
}
