# shellcheck shell=bash
# The agent's JVM settings, derived from its memory ceiling (--max-memory): the one place they are
# chosen. Installed as lib/agent-jvm.sh beside the jars. bin/vsockexec sources it for `vsockexec
# agent`, and every other way of starting an agent goes through bin/vsockexec (the benchmark, the
# tests, a VM guest's init, scripts/vsock-e2e) or sources this file (a guest bundle's start
# script). Plain bash, no subprocess: it runs before every agent start. docs/AGENT.md explains
# each setting and has the measurements.
#
#   agent_jvm_options ARG...   ARG... are the agent's options; sets the array agent_jvm_opts
#   agent_aot_training_opts    what the JVM adds when it writes the agent's AOT cache (the build's training run)

# The ceiling without --max-memory; AgentConfig.DEFAULT_MAX_MEMORY is the same (AgentJvmTest checks).
agent_default_max_memory=96MiB
# What the JVM takes besides its heap, in MiB: up to 52 measured under the abuse mix (docs/AGENT.md),
# and a margin: libjvm and the AOT cache mapped, metaspace, compiled code and the compiler's arenas,
# thread stacks, malloc.
agent_beside_heap_mib=56
# The smallest heap: the JVM starts in less, but the agent then has nothing to buffer in.
agent_least_heap_mib=16

# The agent's AOT cache holds the classes, loaded and linked, and no method profiles. With the
# training run's profiles, every agent's JVM compiled at once each method that was hot in training,
# as it first ran: some 20 ms of CPU of the start-up, and 30 to 40 ms before the first exec's result,
# for code that a fresh agent runs a few times; without them the usual thresholds apply, and a busy
# agent compiles its hot paths after a few hundred sessions as it would with no cache
# (docs/PERFORMANCE.md has the measurements).
agent_aot_training_opts=(-XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining)

# Sets agent_jvm_opts for an agent started with the options "$@".
agent_jvm_options() {
  local max=$agent_default_max_memory take='' arg mib heap
  for arg in "$@"; do
    if [ -n "$take" ]; then
      max=$arg
      take=''
      continue
    fi
    case $arg in
      --max-memory) take=1 ;;
      --max-memory=*) max=${arg#--max-memory=} ;;
    esac
  done
  # A value the agent refuses is its to report (one line, status 2): the JVM gets the default's settings.
  agent_size_mib "$max" || agent_size_mib "$agent_default_max_memory"
  mib=$agent_mib
  heap=$((mib - agent_beside_heap_mib))
  [ "$heap" -ge "$agent_least_heap_mib" ] || heap=$agent_least_heap_mib
  agent_jvm_opts=(
    # The serial collector: no GC threads, the least memory. It gives heap back only after a full
    # collection, which the agent runs itself once a burst is over (MemoryReturn); then the heap
    # shrinks at once to at most 30% free.
    -XX:+UseSerialGC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:-ShrinkHeapInSteps
    # 8-byte object headers: a smaller heap and AOT cache. A small heap to start, the ceiling's to
    # grow to: 8 MiB, in which the start-up's allocations fit without a collection before ready
    # (with 4 MiB one fell there, a pause of 1 to 2 ms on the way), for 0.8 MiB more idle memory.
    -XX:+UseCompactObjectHeaders -Xms8m "-Xmx${heap}m"
    # What the JVM holds besides the heap, capped: metaspace (the AOT cache holds the classes),
    # direct buffers (the agent's I/O goes through arrays), compiled code (the client compiler
    # only: a relay spends its time in system calls), platform threads' stacks.
    -XX:MaxMetaspaceSize=32m -XX:MaxDirectMemorySize=8m -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=16m
    -Xss512k
    # Freed native memory (the compiler's arenas, the C library's) goes back to the system every second.
    -XX:TrimNativeHeapInterval=1000
  )
}

# Sets agent_mib to the size $1 in MiB, rounded down: a number of bytes, or with K, KiB, M, MiB, G,
# GiB, as the agent's options take sizes. Returns 1 if $1 is not one.
agent_size_mib() {
  local t=${1,,} digits unit
  t=${t// /}
  digits=${t%%[!0-9]*}
  unit=${t#"$digits"}
  [ -n "$digits" ] && [ ${#digits} -le 10 ] || return 1
  case $unit in
    '') agent_mib=$((10#$digits >> 20)) ;;
    k | kib) agent_mib=$((10#$digits >> 10)) ;;
    m | mib) agent_mib=$((10#$digits)) ;;
    g | gib) agent_mib=$((10#$digits << 10)) ;;
    *) return 1 ;;
  esac
}
