"""CPU cost per decode step of checking stop strings: whole completion vs the tail window.

On a GPU a decode step of a 1.5B model at batch 160 takes milliseconds, so the host-side
stop-string check must stay well under that. The `hf` backend decodes only a window of the
last tokens each step (`HFBackend._outcome`); this prints both costs and their ratio.

    python perf/stop_check.py [--rows 160] [--tokens 512]
"""

from __future__ import annotations

import argparse
import random
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=160)
    parser.add_argument("--tokens", type=int, default=512, help="completion length so far")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    from benchmarks import humaneval
    from harness.generation.hf import TAIL_SLACK_TOKENS
    from harness.generation.stops import first_stop
    from harness.generation.tiny import train_code_tokenizer

    tokenizer = train_code_tokenizer()
    stops = humaneval.PYTHON_STOP_TOKENS
    window = 4 * max(len(s) for s in stops) + TAIL_SLACK_TOKENS
    rng = random.Random(0)
    rows = [[rng.randrange(len(tokenizer)) for _ in range(args.tokens)] for _ in range(args.rows)]

    def step(tail: bool) -> float:
        started = time.perf_counter()
        for _ in range(args.repeat):
            for ids in rows:
                text = tokenizer.decode(ids[-window:] if tail else ids, skip_special_tokens=True,
                                        clean_up_tokenization_spaces=False)
                first_stop(text, stops)
        return (time.perf_counter() - started) / args.repeat * 1000

    full, tail = step(False), step(True)
    print(f"{args.rows} rows x {args.tokens} tokens, stop strings {list(stops)}")
    print(f"whole completion decoded each step: {full:.2f} ms/step")
    print(f"tail window ({window} tokens) each step: {tail:.2f} ms/step")
    print(f"ratio: {full / tail:.1f}x")


if __name__ == "__main__":
    main()
