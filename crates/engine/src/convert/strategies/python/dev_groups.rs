//! Development dependencies out of the runtime: `poetry install` gets
//! `--only main` (`--no-dev` before Poetry 1.2), `uv sync` gets
//! `--no-dev`, and `pipenv install` or `sync` loses `--dev`. The builder's virtualenv
//! is what the runtime stage receives, so what it installs is what the
//! image carries: test runners, linters and type checkers have no place
//! there.
//!
//! Left alone: an install that already names its groups (`--with`,
//! `--without`, `--only`, `--group`, ...), and an image whose start command
//! runs a development tool (`pytest`): that image is a test runner.

/// Start commands that run a development tool, for which the development
/// dependencies are what the image is for.
const DEV_PROGRAMS: &[&str] = &[
    "pytest",
    "py.test",
    "tox",
    "nox",
    "coverage",
    "behave",
    "mypy",
    "ruff",
    "black",
    "flake8",
    "pylint",
    "ipython",
    "jupyter",
    "jupyter-lab",
    "jupyter-notebook",
];

/// Poetry options that already choose the groups (Poetry refuses `--only`
/// beside most of them).
const POETRY_GROUP_OPTIONS: &[&str] = &[
    "--only",
    "--with",
    "--without",
    "--no-dev",
    "--dev-only",
    "--only-root",
    "--default",
];

/// uv options that already choose the groups.
const UV_GROUP_OPTIONS: &[&str] = &[
    "--no-dev",
    "--dev",
    "--only-dev",
    "--group",
    "--no-group",
    "--only-group",
    "--all-groups",
    "--no-default-groups",
];

/// A `RUN` text with its development groups left out, and what was done
/// (for the change note), or `None` when it installs none or chooses them
/// itself. `old_poetry` is a Poetry before 1.2, which knows `--no-dev` but
/// not `--only`.
pub(super) fn without_dev_groups(text: &str, old_poetry: bool) -> Option<(String, &'static str)> {
    let mut words: Vec<String> = text.split(' ').map(str::to_string).collect();
    let mut done = None;
    let mut at = 0;
    while at < words.len() {
        let tool = words
            .get(at)
            .map(|w| w.rsplit('/').next().unwrap_or(w).trim_end().to_string())
            .unwrap_or_default();
        let starts_command = starts_command(&words, at);
        let changed = match tool.as_str() {
            _ if !starts_command => None,
            "poetry" => {
                let option = if old_poetry {
                    "--no-dev"
                } else {
                    "--only main"
                };
                insert_after_subcommand(&mut words, at, "install", POETRY_GROUP_OPTIONS, option)
                    .then_some(if old_poetry {
                        "`poetry install --no-dev`"
                    } else {
                        "`poetry install --only main`"
                    })
            }
            "uv" => insert_after_subcommand(&mut words, at, "sync", UV_GROUP_OPTIONS, "--no-dev")
                .then_some("`uv sync --no-dev`"),
            "pipenv" => drop_dev_flag(&mut words, at).then_some("pipenv without `--dev`"),
            _ => None,
        };
        done = done.or(changed);
        at += 1;
    }
    done.map(|what| (words.join(" "), what))
}

/// Whether the start command runs a development tool.
pub(super) fn runs_dev_tool(program: &str) -> bool {
    DEV_PROGRAMS.contains(&program.rsplit('/').next().unwrap_or(program))
}

/// Whether the Dockerfile installs a Poetry before 1.2 (`poetry==1.1.15`,
/// `POETRY_VERSION=1.1.15`, the installer's `--version 1.1.15`).
pub(super) fn old_poetry(source: &str) -> bool {
    source.lines().any(|line| {
        let line = line.replace(['"', '\''], "");
        [
            "poetry==1.0",
            "poetry==1.1",
            "POETRY_VERSION=1.0",
            "POETRY_VERSION=1.1",
        ]
        .iter()
        .any(|pin| line.contains(pin))
            || line.contains("poetry")
                && (line.contains("--version 1.0") || line.contains("--version 1.1"))
    })
}

/// Whether the word at `at` is where a command starts: after `RUN` and
/// its flags, an operator, or variable assignments.
fn starts_command(words: &[String], at: usize) -> bool {
    let Some(before) = words.get(..at).and_then(|ws| {
        ws.iter()
            .rev()
            .find(|w| !w.trim().is_empty() && w.trim() != "\\")
    }) else {
        return false;
    };
    let before = before.trim();
    before == "RUN"
        || matches!(before, "&&" | "||" | ";" | "|" | "then" | "do" | "exec")
        || before.ends_with(';')
        || before.starts_with("--") && before.contains('=')
        || !before.starts_with('-') && before.contains('=') && !before.contains('/')
}

/// The words of one command, from `start` to the next operator.
fn command_end(words: &[String], start: usize) -> usize {
    words
        .iter()
        .enumerate()
        .skip(start + 1)
        .find(|(_, w)| {
            let w = w.trim();
            matches!(w, "&&" | "||" | ";" | "|" | "&") || w.ends_with(';')
        })
        .map_or(words.len(), |(i, _)| i)
}

/// The index of the subcommand of the tool at `tool`: the first word after
/// it that is not an option or a line continuation.
fn subcommand(words: &[String], tool: usize, end: usize) -> Option<usize> {
    (tool + 1..end).find(|&i| {
        words
            .get(i)
            .map(|w| w.trim())
            .is_some_and(|w| !w.is_empty() && !w.starts_with('-') && w != "\\")
    })
}

/// Adds `option` after the tool's `name` subcommand, unless the command
/// already has one of `chosen`.
fn insert_after_subcommand(
    words: &mut [String],
    tool: usize,
    name: &str,
    chosen: &[&str],
    option: &str,
) -> bool {
    let end = command_end(words, tool);
    let Some(sub) = subcommand(words, tool, end) else {
        return false;
    };
    let Some(word) = words.get_mut(sub) else {
        return false;
    };
    if word.trim_end() != name {
        return false;
    }
    let has_choice = |w: &String| {
        let w = w.trim();
        chosen
            .iter()
            .any(|c| w == *c || w.strip_prefix(c).is_some_and(|r| r.starts_with('=')))
    };
    if words
        .get(sub..end)
        .is_some_and(|ws| ws.iter().any(has_choice))
    {
        return false;
    }
    let Some(word) = words.get_mut(sub) else {
        return false;
    };
    let trailing = word.get(name.len()..).unwrap_or_default().to_string();
    *word = format!("{name} {option}{trailing}");
    true
}

/// Removes `--dev` / `-d` from a `pipenv install` or `pipenv sync`.
fn drop_dev_flag(words: &mut Vec<String>, tool: usize) -> bool {
    let end = command_end(words, tool);
    let sub = subcommand(words, tool, end)
        .and_then(|i| words.get(i))
        .map(|w| w.trim());
    if !matches!(sub, Some("install" | "sync")) {
        return false;
    }
    let Some(at) = (tool + 1..end).find(|&i| {
        words
            .get(i)
            .is_some_and(|w| matches!(w.trim(), "--dev" | "-d"))
    }) else {
        return false;
    };
    let Some(word) = words.get(at) else {
        return false;
    };
    // A flag that ends its line keeps the line's continuation.
    let trailing = word.trim_start_matches(['-', 'd', 'e', 'v']).to_string();
    if trailing.is_empty() {
        words.remove(at);
    } else if let Some(w) = words.get_mut(at) {
        *w = trailing;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn development_groups_are_left_out() {
        let table: &[(&str, bool, Option<&str>)] = &[
            (
                "RUN poetry install --no-root",
                false,
                Some("RUN poetry install --only main --no-root"),
            ),
            (
                "RUN poetry config virtualenvs.create false && poetry install --no-interaction",
                false,
                Some(
                    "RUN poetry config virtualenvs.create false && poetry install --only main --no-interaction",
                ),
            ),
            (
                "RUN poetry -n install",
                false,
                Some("RUN poetry -n install --only main"),
            ),
            (
                "RUN poetry install",
                true,
                Some("RUN poetry install --no-dev"),
            ),
            (
                "RUN poetry install \\\n    --no-root",
                false,
                Some("RUN poetry install --only main \\\n    --no-root"),
            ),
            (
                "RUN /root/.local/bin/poetry install\n",
                false,
                Some("RUN /root/.local/bin/poetry install --only main\n"),
            ),
            (
                "RUN uv sync --frozen",
                false,
                Some("RUN uv sync --no-dev --frozen"),
            ),
            (
                "RUN pipenv install --system --deploy --dev",
                false,
                Some("RUN pipenv install --system --deploy"),
            ),
            ("RUN pipenv sync --dev", false, Some("RUN pipenv sync")),
            (
                "RUN pipenv install -d \\\n  --system",
                false,
                Some("RUN pipenv install \\\n  --system"),
            ),
            // Groups already chosen, or nothing to choose.
            ("RUN poetry install --only main", false, None),
            ("RUN poetry install --without dev,test", false, None),
            ("RUN poetry install --with docs", false, None),
            ("RUN poetry install --no-dev", false, None),
            ("RUN uv sync --frozen --no-dev", false, None),
            ("RUN uv sync --group test", false, None),
            ("RUN pipenv install --system --deploy", false, None),
            ("RUN poetry export -f requirements.txt", false, None),
            ("RUN pip install -r requirements.txt", false, None),
            ("RUN uv pip install -r requirements.txt", false, None),
            ("RUN echo poetry install", false, None),
        ];
        for (text, old, want) in table {
            assert_eq!(
                without_dev_groups(text, *old).map(|(t, _)| t).as_deref(),
                *want,
                "{text:?}"
            );
        }
    }

    #[test]
    fn poetry_before_1_2_is_recognised() {
        assert!(old_poetry("RUN pip install poetry==1.1.15"));
        assert!(old_poetry("ENV POETRY_VERSION=1.1.13"));
        assert!(old_poetry("ENV POETRY_VERSION=\"1.1.13\""));
        assert!(old_poetry(
            "RUN curl -sSL https://install.python-poetry.org | python3 - --version 1.1.15"
        ));
        assert!(!old_poetry("RUN pip install poetry==1.8.3"));
        assert!(!old_poetry("RUN pip install poetry"));
    }

    #[test]
    fn test_runners_keep_their_tools() {
        assert!(runs_dev_tool("pytest"));
        assert!(runs_dev_tool("/opt/venv/bin/pytest"));
        assert!(!runs_dev_tool("gunicorn"));
    }
}
