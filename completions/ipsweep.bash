# bash completion for ipsweep(1)                           -*- shell-script -*-
#
# Options come from `ipsweep --help` of the binary being completed, so
# every option it has is offered; range names from `ipsweep --list` with
# the -c/--config file on the command line, else the configuration in use.

# _ipsweep_opts CMD: every option of CMD's --help, one a line, "=" after
# those that take an argument (--jobs=, -j=)
_ipsweep_opts()
{
	"$1" --help 2>/dev/null | sed -n \
	    -e 's/^ *\(-[[:alnum:]]\), \(--[[:alnum:]-]*\)\(=*\).*/\1\3\n\2\3/p' \
	    -e 's/^ *\(--[[:alnum:]-]*\)\(=*\).*/\1\2/p'
}

# _ipsweep_ranges CMD CONFIG...: the range names (first field of --list)
_ipsweep_ranges()
{
	local cmd=$1
	shift
	"$cmd" --list "$@" 2>/dev/null | cut -f1
}

_ipsweep()
{
	local cur prev words cword split
	_init_completion -s || return

	local i w config=() opts
	for ((i = 1; i < cword; i++)); do
		w=${words[i]}
		case $w in
		-c | --config)
			((i + 1 < cword)) && config=(-c "${words[i + 1]/#\~/$HOME}")
			;;
		--config=*) config=(-c "${w#--config=}") ;;
		-c?*) config=(-c "${w#-c}") ;;
		esac
	done

	case $prev in
	-c | --config | --lock)
		_filedir
		return
		;;
	--format)
		mapfile -t COMPREPLY < <(compgen -W 'plain csv json ndjson' -- "$cur")
		return
		;;
	--method)
		mapfile -t COMPREPLY < <(compgen -W 'auto icmp exec' -- "$cur")
		return
		;;
	-i | --ip)
		mapfile -t COMPREPLY < <(compgen -W "$(_ipsweep_ranges "$1" "${config[@]}")" -- "$cur")
		return
		;;
	esac
	opts=$(_ipsweep_opts "$1")
	# any other option that takes an argument: a number or a list, no guess
	if [[ $prev == -* ]] && grep -qxF -- "$prev=" <<<"$opts"; then
		return
	fi
	$split && return

	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$(sed -e 's/^\(-[[:alnum:]]\)=$/\1/' <<<"$opts")" -- "$cur")
		[[ ${COMPREPLY-} == *= ]] && compopt -o nospace
		return
	fi
	mapfile -t COMPREPLY < <(compgen -W "$(_ipsweep_ranges "$1" "${config[@]}")" -- "$cur")
} &&
	complete -F _ipsweep ipsweep
