# Sourced by the scripts in bin/ and .ci/: finds a Java 25 JDK and exports JAVA_HOME.
# Order: $SKIFF_JAVA_HOME, $JAVA_HOME if it is 25+, then the JDKs under /usr/lib/jvm.
# Reads the JDK's release file rather than starting a JVM: this runs before every CLI call.
skiff_java_ok() { [ -x "$1/bin/java" ] && grep -qE '^JAVA_VERSION="(2[5-9]|[3-9][0-9])' "$1/release" 2>/dev/null; }
if [ -n "${SKIFF_JAVA_HOME:-}" ] && skiff_java_ok "$SKIFF_JAVA_HOME"; then
  export JAVA_HOME="$SKIFF_JAVA_HOME"
elif [ -n "${JAVA_HOME:-}" ] && skiff_java_ok "$JAVA_HOME"; then
  :
else
  for d in /usr/lib/jvm/temurin-25* /usr/lib/jvm/java-25* /usr/lib/jvm/*; do
    if skiff_java_ok "$d"; then export JAVA_HOME="$d"; break; fi
  done
fi
if ! skiff_java_ok "${JAVA_HOME:-/nonexistent}"; then
  echo "skiff: no Java 25 JDK found (install Temurin 25, or set SKIFF_JAVA_HOME)" >&2
  exit 1
fi
