"""Run the bank's checked snippets against real Django (called by scripts/verify-bank.mjs).

    python run.py --backend sqlite|postgres --root QUESTIONS_DIR --out RESULT.json
                  [--pg-host SOCKET_DIR --pg-port PORT --pg-user USER --pg-name DB] [FILES...]

Every fenced block whose info string is `python verify` (both backends), `python verify
postgres` or `python verify sqlite` runs in its own `transaction.atomic()` that is always rolled
back, with its stdout captured. A ```text output block right after it must equal that stdout
(whitespace-normalised). In a question tagged `sql`, the statements run inside the
`CaptureQueriesContext` blocks of the Answer's verify blocks must equal the statements of the
Answer's ```sql blocks (on PostgreSQL; on SQLite the blocks run for errors only).

The result is one JSON document written to --out; the exit code is 0 unless the runner itself
broke (a failing snippet is a result, not a crash).
"""
import argparse
import contextlib
import io
import json
import os
import re
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

VERIFY_INFO = {
    "python verify": ("sqlite", "postgres"),
    "python verify postgres": ("postgres",),
    "python verify sqlite": ("sqlite",),
}
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})\s*(.*?)\s*$")
# Savepoint ids embed the thread id and a counter (`"s140213_x1"`): compared as one name.
SAVEPOINT_ID = re.compile(r'"s\d+_x\d+"')
# Server-side cursors (iterator() on PostgreSQL) are named after the thread too.
CURSOR_NAME = re.compile(r'"_django_curs_\d+_(sync|async)_\d+"')


# --------------------------------------------------------------------------------------------
# Markdown


def parse_markdown(text):
    """Fenced blocks of a question file: dicts with info, code, line (of the opening fence),
    code_line (first line of the code), end_line and section (None, 'answer', 'follow-ups')."""
    lines = text.split("\n")
    blocks = []
    section = None
    in_frontmatter = bool(lines) and lines[0].strip() == "---"
    i = 1 if in_frontmatter else 0
    if in_frontmatter:
        while i < len(lines) and lines[i].strip() != "---":
            i += 1
        i += 1
    while i < len(lines):
        line = lines[i]
        m = FENCE.match(line)
        if m and not (m.group(1)[0] == "`" and "`" in m.group(2)):
            fence, info = m.group(1), m.group(2)
            body = []
            j = i + 1
            closed = False
            while j < len(lines):
                c = re.match(r"^ {0,3}(`{3,}|~{3,})\s*$", lines[j])
                if c and c.group(1)[0] == fence[0] and len(c.group(1)) >= len(fence):
                    closed = True
                    break
                body.append(lines[j])
                j += 1
            blocks.append({
                "info": " ".join(info.split()),
                "code": "\n".join(body) + "\n",
                "line": i + 1,
                "code_line": i + 2,
                "end_line": j + 1,
                "section": section,
                "closed": closed,
            })
            i = j + 1
            continue
        h = re.match(r"^##\s+(.*?)\s*#*\s*$", line)
        if h and not line.startswith("###"):
            name = h.group(1).strip().lower()
            section = "answer" if name == "answer" else "follow-ups" if name.startswith("follow") else name
        i += 1
    return blocks, lines


def frontmatter_tags(text):
    """The `tags` of the YAML frontmatter (flow list `[a, b]` or block list), without PyYAML."""
    m = re.match(r"^\ufeff?---\s*\n(.*?)\n---\s*(\n|$)", text, re.S)
    if not m:
        return []
    fm = m.group(1).split("\n")
    for k, line in enumerate(fm):
        t = re.match(r"^tags\s*:\s*(.*)$", line)
        if not t:
            continue
        rest = t.group(1).split(" #")[0].strip()
        if rest.startswith("["):
            inner = rest.strip("[]")
            return [x.strip().strip("'\"") for x in inner.split(",") if x.strip()]
        tags = []
        for item in fm[k + 1:]:
            b = re.match(r"^\s*-\s*(.+?)\s*$", item)
            if not b:
                break
            tags.append(b.group(1).strip("'\""))
        return tags
    return []


def split_sql(text):
    """Statements of a ```sql block: `--` comments dropped, split on `;` outside quotes."""
    statements, cur, quote, i = [], [], None, 0
    while i < len(text):
        ch = text[i]
        if quote:
            cur.append(ch)
            if ch == quote:
                if i + 1 < len(text) and text[i + 1] == quote:  # '' or "" inside quotes
                    cur.append(text[i + 1])
                    i += 1
                else:
                    quote = None
        elif ch in "'\"":
            quote = ch
            cur.append(ch)
        elif ch == "-" and text[i:i + 2] == "--":
            while i < len(text) and text[i] != "\n":
                i += 1
            continue
        elif ch == ";":
            statements.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
        i += 1
    tail = "".join(cur).strip()
    if tail:
        statements.append(tail)
    return [s for s in (normalise_sql(s) for s in statements) if s], bool(tail)


def normalise_sql(sql):
    s = " ".join(sql.split())
    s = re.sub(r"\(\s+", "(", s)
    s = re.sub(r"\s+\)", ")", s)
    s = SAVEPOINT_ID.sub('"s_x"', s)
    s = CURSOR_NAME.sub(r'"_django_curs_\1"', s)
    return s.strip().rstrip(";").strip()


def normalise_text(text):
    return " ".join(text.split())


# --------------------------------------------------------------------------------------------
# Django


def setup_django(args):
    import django
    from django.conf import settings

    apps = ["django.contrib.contenttypes", "django.contrib.auth", "shop"]
    if args.backend == "postgres":
        apps += ["django.contrib.postgres", "pgshop"]
        db = {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": args.pg_name,
            "USER": args.pg_user,
            "HOST": args.pg_host,
            "PORT": str(args.pg_port),
            # A snippet that waits on a lock fails instead of hanging the run.
            "OPTIONS": {"options": "-c lock_timeout=10s -c statement_timeout=60s"},
        }
    else:
        db = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
    settings.configure(
        DEBUG=False,
        SECRET_KEY="verify-bank",
        USE_TZ=True,
        TIME_ZONE="UTC",
        INSTALLED_APPS=apps,
        DATABASES={"default": db},
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        LOGGING_CONFIG=None,
    )
    django.setup()

    from django.core.management import call_command
    from django.db import connection

    if args.backend == "postgres":
        with connection.cursor() as cursor:
            for ext in ("pg_trgm", "btree_gist", "unaccent", "citext"):
                try:
                    cursor.execute(f"CREATE EXTENSION IF NOT EXISTS {ext}")
                except Exception:  # contrib not installed: the snippets that need it fail
                    pass
    call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)
    connection.close()  # reconnect so the hstore/citext types are registered if created


class _Rollback(Exception):
    """Raised at the end of every snippet so its transaction is rolled back."""


_captures = []


def patch_capture():
    """Record what every CaptureQueriesContext saw, in order, for the SQL comparison."""
    from django.test.utils import CaptureQueriesContext

    original_exit = CaptureQueriesContext.__exit__

    def __exit__(self, exc_type, exc_value, tb):
        result = original_exit(self, exc_type, exc_value, tb)
        _captures.append([q["sql"] for q in self.captured_queries])
        return result

    CaptureQueriesContext.__exit__ = __exit__


def reset_tables():
    """Make ids start at 1 in every snippet (PostgreSQL sequences survive a rollback; TRUNCATE
    ... RESTART IDENTITY inside the snippet's transaction is rolled back with it)."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    tables = sorted(
        m._meta.db_table for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy
    )
    with connection.cursor() as cursor:
        for sql in connection.ops.sql_flush(no_style(), tables, reset_sequences=True, allow_cascade=True):
            cursor.execute(sql)


def run_block(path, block):
    """Run one snippet; return (ok, error, stdout, captured statements)."""
    from django.db import connection, transaction

    source = "\n" * (block["code_line"] - 1) + block["code"]
    out = io.StringIO()
    del _captures[:]
    error = None
    try:
        code = compile(source, path, "exec")
    except SyntaxError as exc:
        return False, f"SyntaxError: {exc.msg} (line {exc.lineno})", "", [], exc.lineno
    try:
        with transaction.atomic():
            reset_tables()
            with contextlib.redirect_stdout(out):
                exec(code, {"__name__": "__verify__", "__file__": path})
            raise _Rollback
    except _Rollback:
        pass
    except BaseException as exc:  # noqa: BLE001 - a snippet may raise anything, even SystemExit
        if isinstance(exc, KeyboardInterrupt):
            raise
        tb = traceback.extract_tb(exc.__traceback__)
        line = next((f.lineno for f in reversed(tb) if f.filename == path), block["code_line"])
        error = f"{type(exc).__name__}: {exc}".strip()
        if isinstance(exc, AssertionError) and not str(exc):
            text_line = source.split("\n")[line - 1].strip() if line else ""
            error = f"AssertionError: {text_line}"
        return False, error, out.getvalue(), [q for c in _captures for q in c], line
    return True, None, out.getvalue(), [q for c in _captures for q in c], None


def is_question(name):
    # As the CLI's loader: README.md and files starting with _ or . are not questions.
    return name.endswith(".md") and name != "README.md" and not name.startswith(("_", "."))


def collect(root, files):
    paths = []
    if files:
        for f in files:
            if os.path.isdir(f):
                for dirpath, _, names in os.walk(f):
                    paths += [os.path.join(dirpath, n) for n in names if is_question(n)]
            else:
                paths.append(f)
    else:
        for dirpath, _, names in os.walk(root):
            paths += [os.path.join(dirpath, n) for n in names if is_question(n)]
    return sorted(set(paths))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", choices=["sqlite", "postgres"], required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--pg-host", default=os.environ.get("PGHOST", ""))
    ap.add_argument("--pg-port", default=os.environ.get("PGPORT", "5432"))
    ap.add_argument("--pg-user", default=os.environ.get("PGUSER", "postgres"))
    ap.add_argument("--pg-name", default=os.environ.get("PGDATABASE", "postgres"))
    ap.add_argument("files", nargs="*")
    args = ap.parse_args()

    started = time.monotonic()
    setup_django(args)
    patch_capture()
    import django
    from django.db import connection

    with connection.cursor():
        pass
    if connection.vendor == "postgresql":
        v = connection.pg_version
        db_version = f"PostgreSQL {v // 10000}.{v % 10000}"
    else:
        import sqlite3
        db_version = f"SQLite {sqlite3.sqlite_version}"

    cwd = os.getcwd()
    results = []
    for path in collect(args.root, args.files):
        with open(path, encoding="utf-8-sig") as fh:
            text = fh.read().replace("\r\n", "\n")
        rel = os.path.relpath(path, cwd)
        blocks, _ = parse_markdown(text)
        is_sql = "sql" in frontmatter_tags(text)
        verify = [(k, b) for k, b in enumerate(blocks) if b["info"] in VERIFY_INFO]
        if not verify and not is_sql:
            continue
        compare = is_sql and args.backend == "postgres"
        answer_captured = []
        answer_blocks_ok = True
        for k, b in verify:
            entry = {"file": rel, "line": b["line"], "info": b["info"], "sql": is_sql and b["section"] == "answer"}
            if args.backend not in VERIFY_INFO[b["info"]]:
                entry.update(status="skipped", why=f"{b['info'].split()[-1]} only")
                results.append(entry)
                continue
            ok, error, stdout, captured, line = run_block(rel, b)
            expected = None
            nxt = blocks[k + 1] if k + 1 < len(blocks) else None
            if nxt and nxt["info"] == "text output" and "\n".join(
                text.split("\n")[b["end_line"]:nxt["line"] - 1]
            ).strip() == "":
                expected = nxt["code"]
            if ok and expected is not None and normalise_text(stdout) != normalise_text(expected):
                ok, line = False, nxt["line"]
                error = (
                    "printed output differs from the ```text output block\n"
                    f"    expected: {normalise_text(expected)[:400]}\n"
                    f"    printed:  {normalise_text(stdout)[:400]}"
                )
            if b["section"] == "answer":
                answer_captured += captured
                answer_blocks_ok = answer_blocks_ok and ok
            entry.update(status="passed" if ok else "failed")
            if not ok:
                entry.update(error=error, errorLine=line)
            results.append(entry)

        if is_sql:
            sql_blocks = [b for b in blocks if b["info"].split(" ")[0].lower() == "sql" and b["section"] == "answer"]
            entry = {"file": rel, "line": sql_blocks[0]["line"] if sql_blocks else 1, "info": "sql comparison", "sql": True}
            if not compare:
                entry.update(status="skipped", why="SQL compared on PostgreSQL only")
            elif not verify:
                entry.update(status="failed", error="tag `sql` but no ```python verify block")
            elif not answer_blocks_ok:
                entry.update(status="skipped", why="its verify block failed")
            else:
                expected = [s for b in sql_blocks for s in split_sql(b["code"])[0]]
                actual = [normalise_sql(s) for s in answer_captured]
                missing_semicolon = [b for b in sql_blocks if split_sql(b["code"])[1]]
                if not sql_blocks:
                    entry.update(status="failed", error="tag `sql` but no ```sql block in ## Answer")
                elif not answer_captured:
                    entry.update(status="failed", error="tag `sql` but no query ran inside a CaptureQueriesContext in the Answer's verify blocks")
                elif missing_semicolon:
                    entry.update(status="failed", line=missing_semicolon[0]["line"], error="every statement of a ```sql block must end with `;`", executed=actual)
                elif expected == actual:
                    entry.update(status="passed", statements=len(actual))
                else:
                    diff = []
                    if len(expected) != len(actual):
                        diff.append(f"{len(expected)} statements in the answer, {len(actual)} executed")
                    for n in range(max(len(expected), len(actual))):
                        e = expected[n] if n < len(expected) else "(none)"
                        a = actual[n] if n < len(actual) else "(none)"
                        if e != a:
                            diff.append(f"statement {n + 1}:\n    answer:   {e}\n    executed: {a}")
                    entry.update(status="failed", error="\n".join(diff), executed=actual)
            results.append(entry)

    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump({
            "backend": args.backend,
            "django": django.get_version(),
            "database": db_version,
            "python": sys.version.split()[0],
            "seconds": round(time.monotonic() - started, 2),
            "results": results,
        }, fh, indent=1)


if __name__ == "__main__":
    main()
