# Sourced by ./atelier, ./run-tests and .ci/run: exports JAVA_HOME pointing at a JDK 21 or newer.
# Looks at $JAVA_HOME, then the `java` on PATH, then the usual install folders; fails with a clear
# message when none is found.

atelier_java_major() {
  # Prints the major version of the java binary given as $1 (17, 21, 25, ...), or nothing. Reads the JDK's `release`
  # file when it has one (no JVM started: probing costs milliseconds, not a JVM start per candidate), else asks java.
  local release
  release="$(dirname "$(dirname "$(readlink -f "$1")")")/release"
  if [ -f "$release" ]; then
    sed -n 's/^JAVA_VERSION="\(1\.\)\{0,1\}\([0-9][0-9]*\).*/\2/p' "$release" | head -n 1
    return
  fi
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version =/ {print $2; exit}'
}

atelier_find_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" \
      "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")" \
      /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(atelier_java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "${major%%.*}" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  echo "atelier: no JDK 21 or newer found. Install one (for example OpenJDK 21) and set JAVA_HOME to it." >&2
  return 1
}

atelier_find_jdk || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
# Maven 3.9 on JDK 24+ warns about sun.misc.Unsafe; the warning is harmless.
if [ "$(atelier_java_major "$JAVA_HOME/bin/java" | cut -d. -f1)" -ge 24 ] 2>/dev/null; then
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
