# Sourced by ./vsockexec and scripts/*: defines find_java, which prints the path of a java
# binary of version 25 or newer, looking where JDKs are usually installed, and maven_java_home.

java_major() {  # prints the feature version of the java binary $1, or nothing
  # A JDK's release file names its version; reading it costs nothing, where starting a JVM per
  # candidate would add tens of milliseconds to every command (and to every agent start).
  local release v
  release="$(dirname "$(dirname "$1")")/release"
  if [ -r "$release" ]; then
    v="$(sed -n 's/^JAVA_VERSION="\(1\.\)\{0,1\}\([0-9]*\).*/\2/p' "$release")"
    [ -n "$v" ] && { echo "$v"; return; }
  fi
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}

find_java() {
  local candidates=() d home v
  [ -n "${VSOCKEXEC_JAVA_HOME:-}" ] && candidates+=("$VSOCKEXEC_JAVA_HOME")
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for d in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
           "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$d" ] && candidates+=("$d")
  done
  for home in "${candidates[@]}"; do
    [ -x "$home/bin/java" ] || continue
    v="$(java_major "$home/bin/java")"
    if [ -n "$v" ] && [ "$v" -ge 25 ]; then
      echo "$home/bin/java"
      return 0
    fi
  done
  echo "no JDK 25 or newer found (looked in VSOCKEXEC_JAVA_HOME, JAVA_HOME, /usr/lib/jvm, /opt, ~/.sdkman, ~/.jdks)" >&2
  return 1
}

maven_java_home() {  # prints the JAVA_HOME to run ./mvnw with, given the java binary $1 that find_java found
  # Maven may run on any JDK 17+, so the user's JAVA_HOME stays; without one, Maven runs on the JDK 25 found.
  echo "${JAVA_HOME:-$(dirname "$(dirname "$1")")}"
}
