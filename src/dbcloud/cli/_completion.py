"""`dbcloud completion bash|zsh|fish`: completion scripts written from the command table.

Every script works the same way: the words typed so far (options and their values left out) form a
path such as "acm clusters launch"; a table of paths gives the words that may come next, and a
table of (path, option) pairs gives an option's choices. The tables come from the same command table
as the parser, so completion cannot drift from the commands.
"""

from __future__ import annotations

from collections.abc import Iterator

from .._vendors import vendor_names
from ._commands import all_apis
from ._spec import Api, Verb

__all__ = ["script", "table"]

_COMMON = (
    "-o", "--output", "--query", "--profile", "--request-timeout", "--max-retries", "--no-color", "--help",
)  # fmt: skip
_GLOBAL_VALUES = ("-o", "--output", "--query", "--profile", "--request-timeout", "--max-retries")
_OUTPUTS = ("table", "json", "yaml")


def _leaf_options(api: Api, verb: Verb) -> list[str]:
    words = [o.flag for o in (*verb.options, *api.extra) if not o.positional]
    words += [alias for o in verb.options for alias in o.aliases]
    words += [f"--no-{o.flag[2:]}" for o in verb.options if o.kind == "bool"]
    if verb.file and "--file" not in words:
        words.append("--file")
    if verb.wait is not None or verb.always_waits:
        words += ([] if verb.always_waits else ["--wait"]) + ["--wait-timeout", "--poll-interval"]
    if verb.mutates:
        words += ["--dry-run", "--as-curl"]
    words += [s.flag for s in api.settings]
    return [*words, *_COMMON]


def table() -> tuple[list[tuple[str, list[str]]], list[tuple[str, str, list[str]]]]:
    """(path, next words) for every path, and (leaf path, option, choices) for every choice."""
    paths: list[tuple[str, list[str]]] = [
        (
            "",
            [
                *(a.name for a in all_apis()),
                "raw",
                "configure",
                "completion",
                "demo",
                "emulator",
                "--version",
                *_COMMON,
            ],
        )
    ]
    choices: list[tuple[str, str, list[str]]] = []
    for api in all_apis():
        paths.append((api.name, [r.name for r in api.resources]))
        for resource in api.resources:
            prefix = f"{api.name} {resource.name}"
            paths.append((prefix, [v.name for v in resource.verbs]))
            for verb in resource.verbs:
                leaf = f"{prefix} {verb.name}"
                paths.append((leaf, _leaf_options(api, verb)))
                choices += [(leaf, o.flag, list(o.choices)) for o in verb.options if o.choices]
    paths.append(("raw", list(vendor_names())))
    paths += [(f"raw {api}", ["GET", "POST", "PUT", "PATCH", "DELETE"]) for api in vendor_names()]
    from ._configure import completions

    paths += completions()
    paths.append(("completion", ["bash", "zsh", "fish"]))
    paths.append(("demo", ["--speed", "--no-color"]))
    paths.append(("emulator", ["--port", "--speed", "--seed-data", "--no-seed-data"]))
    return paths, choices


def _leaves() -> set[str]:
    verbs = {f"{a.name} {r.name} {v.name}" for a in all_apis() for r in a.resources for v in r.verbs}
    return verbs | {f"configure {a.name}" for a in all_apis()} | {"configure list"}


def _bash() -> str:
    paths, choices = table()
    leaves = _leaves() | {f"raw {api}" for api in vendor_names()} | {"completion", "demo", "emulator"}
    cases: list[str] = [
        f'        "{leaf}"*"|{flag}") echo "{" ".join(words)}" ;;' for leaf, flag, words in choices
    ]
    cases += [f'        *"|{flag}") echo "{" ".join(_OUTPUTS)}" ;;' for flag in ("-o", "--output")]
    for path, words in sorted(paths, key=lambda p: -len(p[0])):
        pattern = f'"{path}"*"|"*' if path in leaves else f'"{path}|"*'
        cases.append(f'        {pattern}) echo "{" ".join(words)}" ;;')
    skips = "|".join(_GLOBAL_VALUES)
    body = "\n".join(cases)
    return f"""\
# dbcloud completion for bash; load it with: eval "$(dbcloud completion bash)"
_dbcloud_words() {{
    case "$1|$2" in
{body}
    esac
}}

_dbcloud() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}" prev="" path="" word skip="" i
    (( COMP_CWORD > 0 )) && prev="${{COMP_WORDS[COMP_CWORD-1]}}"
    for (( i = 1; i < COMP_CWORD; i++ )); do
        word="${{COMP_WORDS[i]}}"
        if [[ -n "$skip" ]]; then skip=""; continue; fi
        case "$word" in
            {skips}) [[ -z "$path" ]] && skip=1; continue ;;
            -*) continue ;;
        esac
        path="${{path:+$path }}$word"
    done
    COMPREPLY=($(compgen -W "$(_dbcloud_words "$path" "$prev")" -- "$cur"))
}}
complete -F _dbcloud dbcloud
"""


def _fish_lines() -> Iterator[str]:
    paths, choices = table()
    leaves = _leaves() | {f"raw {api}" for api in vendor_names()} | {"completion", "demo", "emulator"}
    for leaf, flag, words in choices:
        yield f"        case '{leaf}'*'|{flag}'\n            printf '%s\\n' {' '.join(words)}"
    yield f"        case '*|-o' '*|--output'\n            printf '%s\\n' {' '.join(_OUTPUTS)}"
    for path, words in sorted(paths, key=lambda p: -len(p[0])):
        pattern = f"'{path}'*'|'*" if path in leaves else f"'{path}|'*"
        yield f"        case {pattern}\n            printf '%s\\n' {' '.join(_fish_word(w) for w in words)}"


def _fish_word(word: str) -> str:
    return f"'{word}'" if word.startswith("-") else word


def _fish() -> str:
    cases = "\n".join(_fish_lines())
    skips = " ".join(_GLOBAL_VALUES)
    return f"""\
# dbcloud completion for fish; load it with: dbcloud completion fish | source
function __dbcloud_words
    set -l tokens (commandline -opc)
    set -l path ''
    set -l skip 0
    for word in $tokens[2..-1]
        if test $skip = 1
            set skip 0
            continue
        end
        if contains -- $word {skips}
            test -z "$path"; and set skip 1
            continue
        end
        string match -q -- '-*' $word; and continue
        if test -z "$path"
            set path $word
        else
            set path "$path $word"
        end
    end
    set -l prev ''
    test (count $tokens) -gt 1; and set prev $tokens[-1]
    switch "$path|$prev"
{cases}
    end
end
complete -c dbcloud -f -a '(__dbcloud_words)'
"""


def script(shell: str) -> str:
    """The completion script for `shell` ("bash", "zsh" or "fish")."""
    if shell == "fish":
        return _fish()
    if shell == "zsh":
        # zsh runs the bash script through its bash-completion emulation.
        header = '# dbcloud completion for zsh; load it with: eval "$(dbcloud completion zsh)"\n'
        return (
            header
            + "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n"
            + _bash()
        )
    return _bash()
