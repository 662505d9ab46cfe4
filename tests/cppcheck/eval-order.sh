#!/bin/sh
# eval-order.sh - writes tests/cppcheck/eval-order.rule (run: sh tests/cppcheck/eval-order.sh >
# tests/cppcheck/eval-order.rule).  Two PCRE rules over cppcheck's token stream (tokens separated by
# one space) that find a call whose arguments read a variable another argument's call sets
# through a pointer: f(get(&x), x) and f(x, get(&x)).  P is a balanced parenthesis group, A one
# argument (no top-level comma); CALL skips if/while/for/switch/return/sizeof (their || and &&
# are sequence points).  See docs/internals/analysis.md.
DEF='(?(DEFINE)(?<P>\((?:[^();{}]|(?&P))*\))(?<A>(?:[^(),;{}]|(?&P))*))'
CALL='(?<![\w>.] )(?<!\w)(?!if |while |for |switch |return |sizeof )\w+ \( '
INNER='\w+ \( (?:[^();{}]|(?&P))*?(?<![&|] )& (?<x>\w+) (?!\. |-> |\[ )(?:[^();{}]|(?&P))*\) '
READ='(?:[^();{}]|(?&P)|\( )*?(?<!& |\. |> )\b\k<x> (?!\. |-> |\[ )'
P1="${DEF}${CALL}(?:(?&A), )*(?:[^(),;{}]|(?&P))*?${INNER}(?&A), ${READ}"
P2="${DEF}${CALL}(?:(?&A), )*?(?:[^(),;{}]|(?&P)|\( )*?(?<!& |\. |> )\b(?<y>\w+) (?!\. |-> |\[ )(?&A), (?:(?&A), )*(?:[^(),;{}]|(?&P))*?\w+ \( (?:[^();{}]|(?&P))*?(?<![&|] )& \k<y> (?!\. |-> |\[ )"
rule() { cat <<R
<rule>
  <tokenlist>normal</tokenlist>
  <pattern><![CDATA[$1]]></pattern>
  <message>
    <id>argOutParamRead</id>
    <severity>warning</severity>
    <summary>$2</summary>
  </message>
</rule>
R
}
{ echo '<?xml version="1.0"?>'; echo '<rules>'
rule "$P1" "One argument of this call reads a variable that another argument's call sets through a pointer: C leaves the order of the arguments unspecified, so the value read may be the old one. Set it in a statement before the call."
rule "$P2" "One argument of this call reads a variable that a later argument's call sets through a pointer: C leaves the order of the arguments unspecified, so the value read may be the old one. Set it in a statement before the call."
echo '</rules>'; }
