# Sourced by the ensure-* scripts: installs Debian packages on this host, waiting (bounded) for apt's and dpkg's
# locks instead of failing, because a fresh Debian VM often runs unattended-upgrades at boot and two scripts may
# install at once.
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  local tries=0
  # apt-get update takes the lists lock, which DPkg::Lock::Timeout does not cover: retry, at most 60 x 5 s.
  until apt-get update -qq; do
    tries=$((tries + 1))
    if [ "$tries" -ge 60 ]; then
      echo "apt_install: apt-get update kept failing for 5 minutes" >&2
      return 1
    fi
    sleep 5
  done
  apt-get -o DPkg::Lock::Timeout=300 install -y -qq "$@" >/dev/null
}
