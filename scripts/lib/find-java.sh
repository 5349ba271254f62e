# Sourced by bin/vsockexec (the installed launcher, which finds this file in its lib/), ./vsockexec
# and scripts/*. Defines find_java, which sets java_bin to a java of version 25 or newer, looking
# where JDKs are usually installed, and maven_java_home. Plain bash, no subprocess: this runs
# before every command and every agent start, and each process started here would cost
# milliseconds.

# Sets major to the feature version of the JDK at home $1, read from its release file; empty if unknown.
java_major() {
  local line
  major=
  [ -r "$1/release" ] || return 0
  while IFS= read -r line; do
    case $line in
      JAVA_VERSION=*)
        line=${line#JAVA_VERSION=}
        line=${line//\"/}
        line=${line#1.}
        major=${line%%[!0-9]*}
        return 0 ;;
    esac
  done < "$1/release"
}

# Sets java_bin to the first JDK 25 or newer among VSOCKEXEC_JAVA_HOME, JAVA_HOME and the usual
# places; returns 1 with a message on stderr if there is none.
find_java() {
  local home
  for home in "${VSOCKEXEC_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* \
              "${HOME:-/nonexistent}"/.sdkman/candidates/java/* "${HOME:-/nonexistent}"/.jdks/* \
              /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -n "$home" ] && [ -x "$home/bin/java" ] || continue
    java_major "$home"
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      java_bin=$home/bin/java
      return 0
    fi
  done
  echo "vsockexec: no JDK 25 or newer found (looked in VSOCKEXEC_JAVA_HOME, JAVA_HOME, /usr/lib/jvm, /opt," \
       "~/.sdkman, ~/.jdks); set VSOCKEXEC_JAVA_HOME to one" >&2
  return 1
}

# Prints the JAVA_HOME to run ./mvnw with, given the java binary $1 that find_java found: Maven
# may run on any JDK 17+, so the user's JAVA_HOME stays; without one, Maven runs on the JDK 25 found.
maven_java_home() {
  local bin=${1%/java}
  echo "${JAVA_HOME:-${bin%/bin}}"
}
