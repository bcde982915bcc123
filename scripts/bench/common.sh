# Shell functions the benchmark scripts share; sourced, not run.

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# Removes every container and network with the given io.dindclusters.instance label.
remove_labelled() {
  local ids
  ids=$(docker ps -aq --filter "label=io.dindclusters.instance=$1")
  [ -z "$ids" ] || docker rm -f -v $ids >/dev/null
  ids=$(docker network ls -q --filter "label=io.dindclusters.instance=$1")
  [ -z "$ids" ] || docker network rm $ids >/dev/null
}
