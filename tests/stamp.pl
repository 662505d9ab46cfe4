#!/usr/bin/perl
# tests/stamp.pl TIMES - passes the suite's log through unchanged and writes to TIMES, for each
# line that starts a part of it ("== make check", "== build/tests/test_eval", "== tests/e2e/web.sh",
# "== tsan …", "== fuzz …"), the seconds since the start: tests/summary.sh prints the slowest parts from
# it, so the suite's time (CI's ceiling is 30 minutes) is watched where it grows.
use strict;
use warnings;
my $start = time;
open(my $times, '>', $ARGV[0]) or die "stamp.pl: $ARGV[0]: $!\n";
select((select($times), $| = 1)[0]);
$| = 1;
while (my $line = <STDIN>) {
    print $line;
    if ($line =~ /^== /) {
        printf $times "%d %s", time - $start, $line;
    }
}
printf $times "%d end\n", time - $start;
