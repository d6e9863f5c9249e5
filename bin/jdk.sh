# Finds a JDK >= 21 for the build and the stack; sourced by ./fleet, ./mvnw and .ci/run.
# Order: $JAVA_HOME, then the newest under /usr/lib/jvm, then `java` on the PATH.
# Prints the JDK's home on stdout, or explains on stderr and returns 1.

fleet_java_major() {
  # "25.0.3", "21", "17.0.15", "1.8.0_392" -> 25, 21, 17, 8
  local v
  v=$("$1" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
  v=${v#1.}
  echo "${v%%[.+-]*}"
}

fleet_find_jdk() {
  local min=21 candidate major
  for candidate in "${JAVA_HOME:-}" $(find /usr/lib/jvm -mindepth 1 -maxdepth 1 2>/dev/null | sort -rV) \
      "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
    candidate=${candidate%/}
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(fleet_java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge "$min" ] 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  echo "No JDK $min or newer found (looked at \$JAVA_HOME, /usr/lib/jvm/* and java on the PATH)." >&2
  echo "Install one (e.g. 'apt-get install openjdk-21-jdk' or Temurin 21/25) or set JAVA_HOME to it." >&2
  return 1
}

fleet_quiet_jdk_flags() {
  # JDK 23+ warns when Maven's Guice or Kafka's clients use sun.misc.Unsafe; the flag that silences
  # it does not exist before 23, so it is added only there.
  if [ "$(fleet_java_major "$1/bin/java")" -ge 23 ] 2>/dev/null; then
    echo "--sun-misc-unsafe-memory-access=allow"
  fi
}
