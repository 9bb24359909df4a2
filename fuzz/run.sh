#!/usr/bin/env bash
# The long fuzz run: every property of tests/test_fuzz_*.py under the 'fuzz' Hypothesis
# profile (random examples, 5,000 per property, failures kept in .hypothesis/ and replayed
# first on the next run). The normal suite runs the same properties under the bounded 'ci'
# profile. Extra arguments go to pytest, e.g. fuzz/run.sh -k pep691 --hypothesis-seed=1.
#
#   fuzz/run.sh                                  # all parsers, ~15 min on 2 cores
#   FUZZ_EXAMPLES=50000 fuzz/run.sh -k zip       # longer, one parser
set -euo pipefail
cd "$(dirname "$0")/.."
python="${PYTHON:-python}"
if [ -x .venv-ci/bin/python ] && [ -z "${PYTHON:-}" ]; then python=.venv-ci/bin/python; fi
export WHEELSCOUT_HYPOTHESIS_PROFILE=fuzz
exec "$python" -m pytest -p no:cacheprovider -q tests/test_fuzz_simple.py tests/test_fuzz_inputs.py \
    tests/test_fuzz_binary.py tests/test_fuzz_sdist.py tests/test_fuzz_scaling.py "$@"
