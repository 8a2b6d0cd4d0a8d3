#!/usr/bin/env python3
"""Summarises cold_start.sh's files: per file the first result (setup + first call), and when steady speed arrived.

Steady speed: the median of the later half of the calls. It has arrived at the start of the first call from which
five calls in a row each take at most 1.1 times that median; the figure is the time from the clock's start (before
the plan or session) to that call's start.
    python3 bench/scripts/cold_start_summary.py OUTDIR/*-[0-9]*.txt
"""
import statistics
import sys


def summary(path):
    values, calls = {}, []
    with open(path) as f:
        for line in f:
            p = line.split()
            if len(p) == 4 and p[0] == 'call':
                calls.append((int(p[1]), float(p[2]), float(p[3])))
            elif len(p) == 2:
                try:
                    values[p[0]] = float(p[1])
                except ValueError:
                    pass
    steady = statistics.median(c[1] for c in calls[len(calls) // 2:])
    reached = next((calls[i][2] - calls[i][1] for i in range(len(calls) - 4)
                    if all(c[1] <= 1.1 * steady for c in calls[i:i + 5])), float('nan'))
    return values, steady, reached


for path in sys.argv[1:]:
    v, steady, reached = summary(path)
    print('%-36s first result %6.0f ms (setup %4.0f + first call %5.0f)  steady %7.2f ms a call, from %5.0f ms'
          % (path, v['first-result-ms'], v['setup-ms'], v['first-call-ms'], steady, reached))
