"""Executes the course notebooks headless, in order, with the Java kernel.

Called by scripts/notebooks, which checks the tools first. The installed kernel carries our fix for
rapaio-jupyter-kernel 3.0.1's two start-up races (kernel-patch/, scripts/install-kernel), so every
start should answer. A start that still does not is retried with a new kernel, loudly, and counted
in the last line. A cell that fails is never retried: the run stops there and names the notebook,
the cell and the error.
"""

import argparse
import copy
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

KERNEL = "rapaio-jupyter-kernel"
START_ATTEMPTS = 5
# seconds, as jupyter_client's own default. With the fix, 200 of 200 starts answered, in 2.2 s
# (median) and 5.2 s at most, on a 2-core VM with two CPU-bound processes running
# (scripts/kernel-start-check 200 --load 2); without it 15 of 100 did not.
START_TIMEOUT = 60

starts = {"ok": 0, "retried": 0}


class RetryingClient(NotebookClient):
    """Starts the kernel again when it does not answer; cells are never re-run.

    A guard only: with the start-up fix installed no start should fail, so each retry is reported.
    """

    launch = {}  # Popen arguments for every kernel start: where its log goes

    async def async_start_new_kernel_client(self):
        for attempt in range(1, START_ATTEMPTS + 1):
            try:
                kc = await super().async_start_new_kernel_client()
                starts["ok"] += 1
                return kc
            except Exception as e:  # the start only: no cell has run yet
                starts["retried"] += 1
                last = attempt == START_ATTEMPTS
                print(f"notebooks: WARNING: kernel start {attempt} of {START_ATTEMPTS} failed ({e}); "
                      "that should not happen with the start-up fix (is the kernel installed with "
                      "scripts/install-kernel?); "
                      + ("giving up" if last else "starting a new kernel")
                      + "; the kernel's log is in target/notebooks/kernel.log",
                      file=sys.stderr, flush=True)
                if last:
                    raise
                self.km = self.create_kernel_manager()
                await self.async_start_new_kernel(**self.launch)
        raise AssertionError("unreachable")


def solved(exercise, solution):
    """The exercise with each 'exercise:KEY' cell replaced by the solution's 'solution:KEY' cell."""
    answers = {}
    for cell in solution.cells:
        for tag in cell.metadata.get("tags", []):
            if tag.startswith("solution:"):
                answers[tag.split(":", 1)[1]] = cell
    nb = copy.deepcopy(exercise)
    for i, cell in enumerate(nb.cells):
        for tag in cell.metadata.get("tags", []):
            if tag.startswith("exercise:"):
                key = tag.split(":", 1)[1]
                if key not in answers:
                    sys.exit(f"notebooks: {exercise.path}: no solution cell tagged solution:{key}")
                nb.cells[i] = copy.deepcopy(answers[key])
    return nb


def first_line(cell):
    line = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
    return line if len(line) <= 60 else line[:57] + "..."


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def error_detail(cell):
    """The first lines of a failed cell's error, without colours and without the kernel's log."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            lines = [ANSI.sub("", line) for line in "\n".join(output.get("traceback", [])).splitlines()]
            lines = [line for line in lines if line.strip() and not line.startswith("[20")]
            head = f"{output.get('ename', 'error')}: {output.get('evalue', '')}".strip(": ")
            return "\n  ".join([head] + lines[:8])
    return "error"


def clean_outputs(nb, folder):
    """Outputs as a reader anywhere sees them: no colour codes, no paths of the machine that ran them.

    The kernel's %jar answer reads "Add /abs/notebooks/../target/nnkurs.jar to classpath" in green;
    it becomes "Add ../target/nnkurs.jar to classpath". Paths inside the project are written
    relative to the notebook.
    """
    notebooks = str(folder) + "/"
    project = str(folder.parent) + "/"

    def clean(text):
        text = ANSI.sub("", text)
        return text.replace(notebooks, "").replace(project, "../")

    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if "text" in output:
                output["text"] = clean(output["text"])
            for kind in ("text/plain", "text/html"):
                if kind in output.get("data", {}):
                    data = output["data"][kind]
                    output["data"][kind] = ([clean(line) for line in data]
                                            if isinstance(data, list) else clean(data))


def coalesce_streams(nb):
    """Joins the pieces a cell printed (one stream output per print call) into one output."""
    for cell in nb.cells:
        merged = []
        for output in cell.get("outputs", []):
            if (merged and output.get("output_type") == "stream"
                    and merged[-1].get("output_type") == "stream"
                    and merged[-1].get("name") == output.get("name")):
                merged[-1]["text"] += output["text"]
            else:
                merged.append(output)
        if cell.cell_type == "code":
            cell.outputs = merged


def execute(nb, path, cell_timeout):
    client = RetryingClient(
        nb,
        kernel_name=KERNEL,
        timeout=cell_timeout,
        startup_timeout=START_TIMEOUT,
        resources={"metadata": {"path": str(path.parent)}},
    )
    try:
        client.execute(**client.launch)
    except CellExecutionError as e:
        index = next(
            (i for i, c in enumerate(nb.cells)
             if c.cell_type == "code" and any(o.get("output_type") == "error" for o in c.get("outputs", []))),
            None)
        if index is None:
            print(f"notebooks: {path.name}: {str(e).strip().splitlines()[-1]}", file=sys.stderr)
        else:
            print(f"notebooks: {path.name}, cell {index + 1} ({first_line(nb.cells[index])!r}): "
                  f"{error_detail(nb.cells[index])}", file=sys.stderr)
        return False
    return True


def main():
    parser = argparse.ArgumentParser(prog="scripts/notebooks")
    parser.add_argument("--inplace", action="store_true",
                        help="write the outputs back into notebooks/ (default: target/notebooks/)")
    parser.add_argument("--timeout", type=int, default=900, help="seconds per cell (default: 900)")
    parser.add_argument("names", nargs="*", help="notebooks to run (default: all, in order)")
    args = parser.parse_args()

    folder = Path("notebooks").resolve()
    paths = sorted(folder.glob("*.ipynb"))
    if args.names:
        wanted = {n if n.endswith(".ipynb") else n + ".ipynb" for n in args.names}
        unknown = wanted - {p.name for p in paths}
        if unknown:
            sys.exit(f"notebooks: no such notebook in notebooks/: {', '.join(sorted(unknown))}")
        paths = [p for p in paths if p.name in wanted]
    out_dir = folder if args.inplace else Path("target/notebooks").resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    # The kernel logs every message it handles; that goes to a file, not the console.
    log_path = Path("target/notebooks/kernel.log").resolve()
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = open(log_path, "w")
    RetryingClient.launch = {"stdout": log, "stderr": log}

    total = time.time()
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        runs = [(path.name, nb)]
        if path.name.endswith("-exercise.ipynb"):
            solution = path.with_name(path.name.replace("-exercise", "-solution"))
            nb.path = path.name
            # The exercise is proven solvable: run with its TODO cells replaced by the solution's.
            runs = [(path.name + " (solved with " + solution.name + ")",
                     solved(nb, nbformat.read(solution, as_version=4)))]
        for label, book in runs:
            start = time.time()
            print(f"{label} ...", file=sys.stderr, flush=True)
            if not execute(book, path, args.timeout):
                sys.exit(f"notebooks: the kernel's log is in {log_path}")
            print(f"{label}: {time.time() - start:.0f} s", flush=True)
            coalesce_streams(book)
            clean_outputs(book, folder)
            if book is nb:
                tmp = out_dir / ("." + path.name + ".partial")
                nbformat.write(book, tmp)
                tmp.replace(out_dir / path.name)
    print(f"{len(paths)} notebook(s) in {time.time() - total:.0f} s; kernel starts: "
          f"{starts['ok']} ok, {starts['retried']} retried", flush=True)


if __name__ == "__main__":
    main()
