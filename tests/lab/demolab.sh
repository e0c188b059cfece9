# shellcheck shell=bash
# tests/lab/demolab.sh -- the lab of `make demo` and `make lab-shell`: the
# three ranges of the shipped ranges.conf, with live hosts at fixed,
# documented positions (about 10% of each range).  Source after lab.sh.
#
#   10.121.49.0/24  routed (scanner -> router -> hosts)
#       range 10.121.49.101-159 and 163-194 (91 addresses)
#       live: .101 .111 .121 .131 .141 .151 .165 .175 .185 .194   (10)
#       .130: a firewall (the router) answers "admin prohibited" -> unknown
#       .161: live, but in the gap the range leaves out (never probed)
#   10.72.84.0/24   routed
#       range 10.72.84.11-134 (124 addresses)
#       live: .11 .21 .31 ... .131                                   (13)
#   10.72.83.0/24   on-link (one bridge segment), the scanner is 10.72.83.1
#       range 10.72.83.21-136 (116 addresses)
#       live: .21 .31 .41 .51 .61 .71 .81 .91 .101 .111 .121 .131    (12)
#       .55: a host that answers ARP but drops ICMP echo (in use, so it
#            must not be printed free; the neighbour table shows it)
#       .200: live, outside the range
#
# DEMO_USED: every address in use (live, the ICMP-dropping host, the
# scanner), to check that no printed free address is one of them.
# DEMO_UNKNOWN: addresses that can only end unknown.

# shellcheck disable=SC2034 # used by demo.sh
DEMO_RANGES=(10.121.49 10.72.84 10.72.83)

demo_lab_build() {
	local live49=() live84=() live83=() i
	live49=(10.121.49.101 10.121.49.111 10.121.49.121 10.121.49.131 10.121.49.141
		10.121.49.151 10.121.49.165 10.121.49.175 10.121.49.185 10.121.49.194 10.121.49.161)
	for ((i = 11; i <= 131; i += 10)); do live84+=("10.72.84.$i"); done
	for ((i = 21; i <= 131; i += 10)); do live83+=("10.72.83.$i"); done
	live83+=(10.72.83.55 10.72.83.200)

	lab_routed 10.121.49.0/24 "${live49[@]}"
	lab_prohibit 10.121.49.130
	lab_routed 10.72.84.0/24 "${live84[@]}"
	lab_onlink 10.72.83.0/24 10.72.83.1 "${live83[@]}"
	lab_drop_echo 10.72.83.55

	DEMO_USED=$LAB_TMP/demo-used
	lab_live >"$DEMO_USED"
	DEMO_UNKNOWN=$LAB_TMP/demo-unknown
	echo 10.121.49.130 >"$DEMO_UNKNOWN"
}

demo_lab_describe() {
	cat <<-EOF
		The lab (network namespaces; nothing leaves them):
		  10.121.49.0/24  routed through a router namespace
		      live  .101 .111 .121 .131 .141 .151 .165 .175 .185 .194 (and .161, outside the range)
		      .130  behind a filter that answers "administratively prohibited"
		      the rest is silent (no reply, no error)
		  10.72.84.0/24   routed
		      live  .11 .21 .31 .41 .51 .61 .71 .81 .91 .101 .111 .121 .131
		  10.72.83.0/24   on-link (a bridge); the scanner is 10.72.83.1
		      live  .21 .31 .41 .51 .61 .71 .81 .91 .101 .111 .121 .131 (and .200, outside the range)
		      .55   answers ARP but drops ping: in use, must not come out free
	EOF
}
