//! Shell scripts (RUN commands, `sh -c` strings, heredoc bodies) parsed
//! into simple commands with brush-parser, a POSIX/bash parser (plain
//! scripts, most `RUN` lines, are read without it: [`super::plain`]).

use std::io::Cursor;

use brush_parser::ast;
use serde::Serialize;

use super::command::SimpleCommand;
use super::guard;
use super::plain;
use super::words::{split_words, unquote};

/// How many `sh -c` levels are followed.
const MAX_SH_C_DEPTH: usize = 4;

/// How many alternatives a script records; past them, every arm counts as
/// if it ran (what was done before alternatives were recorded).
const MAX_ALTERNATIVES: usize = 256;

/// What makes arms of which one runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AlternativeKind {
    /// The bodies of `if … elif … else … fi`.
    If,
    /// The items of `case … esac`.
    Case,
    /// The two sides of `a || b`: `b` runs when `a` fails.
    Or,
}

/// Commands of which one arm at most runs to its end: sizes count the
/// largest arm, not their sum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alternative {
    /// What makes them alternatives.
    pub kind: AlternativeKind,
    /// Each arm's commands: a range (start, end exclusive) of indexes into
    /// [`Script::commands`]; only arms with commands, at least two.
    pub arms: Vec<(usize, usize)>,
}

/// Where a script comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ScriptKind {
    /// Shell-form `RUN`: the text is run by the shell.
    Shell,
    /// Exec-form `RUN ["..."]`: the words are the command.
    Exec,
    /// A heredoc body run by a shell.
    Heredoc,
}

/// A parsed script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Script {
    /// What the script is.
    pub kind: ScriptKind,
    /// The text as the shell sees it.
    pub text: String,
    /// Every simple command, in source order, including those inside
    /// `if`/`for`/subshells and inside `sh -c '...'` strings.
    pub commands: Vec<SimpleCommand>,
    /// Number of pipelines (a lone command is a pipeline of one).
    pub pipelines: usize,
    /// Whether any pipeline joins commands with `|`.
    pub has_pipe: bool,
    /// Whether the script is a single simple command (no `&&`, `;`, `|`,
    /// compound commands).
    pub single_command: bool,
    /// Why the shell parser could not read the script; the commands were
    /// then found by splitting words.
    pub parse_error: Option<String>,
    /// Arms of `if`, `case` and `||` of which one runs, inner ones before
    /// the ones around them (none when the script was split into words).
    pub alternatives: Vec<Alternative>,
}

impl Script {
    /// Parses shell text.
    pub fn parse(text: &str, kind: ScriptKind) -> Self {
        let mut walker = Walker::default();
        let parse_error = walker.parse(text, 0).err();
        let single_command = parse_error.is_none()
            && walker.pipelines == 1
            && walker.commands.len() == 1
            && !walker.compound;
        Self {
            kind,
            text: text.to_string(),
            has_pipe: walker.commands.iter().any(|c| c.piped && !c.nested),
            pipelines: walker.pipelines,
            commands: walker.commands,
            single_command,
            parse_error,
            alternatives: walker.alternatives,
        }
    }

    /// An exec-form command: the words are the command, no shell involved
    /// (but `sh -c '...'` strings are still read as scripts).
    pub fn exec(words: &[String]) -> Self {
        let mut walker = Walker::default();
        if let Some((name, args)) = words.split_first() {
            walker.pipelines = 1;
            let cmd = SimpleCommand {
                name: name.clone(),
                args: args.to_vec(),
                assignments: Vec::new(),
                pipeline: 0,
                piped: false,
                nested: false,
                recognition: Default::default(),
            };
            walker.push(cmd, 0);
        }
        Self {
            kind: ScriptKind::Exec,
            text: words.join(" "),
            has_pipe: false,
            pipelines: walker.pipelines,
            single_command: walker.commands.len() == 1,
            commands: walker.commands,
            parse_error: None,
            alternatives: walker.alternatives,
        }
    }

    /// Commands whose base name is one of `names`.
    pub fn commands_named<'a>(
        &'a self,
        names: &'a [&'a str],
    ) -> impl Iterator<Item = &'a SimpleCommand> + 'a {
        self.commands
            .iter()
            .filter(move |c| names.contains(&c.base_name()))
    }
}

#[derive(Default)]
struct Walker {
    commands: Vec<SimpleCommand>,
    pipelines: usize,
    compound: bool,
    nested_pipeline: usize,
    alternatives: Vec<Alternative>,
}

impl Walker {
    fn parse(&mut self, text: &str, depth: usize) -> Result<(), String> {
        if let Some(steps) = plain::read(text) {
            self.plain(steps, depth);
            return Ok(());
        }
        self.parse_shell(text, depth)
    }

    /// The commands of a plain script ([`plain::read`]), numbered as the
    /// shell parser's would be.
    fn plain(&mut self, steps: Vec<plain::Step>, depth: usize) {
        // At the top, the script's pipelines are numbered in a row; below,
        // `sh -c` scripts inside take numbers from the same counter in
        // between, so each takes the next number as it starts.
        let base = self.pipelines;
        let mut open: Vec<usize> = Vec::new();
        // Where the open and-or lists with a `||`, the pipelines after a
        // `||`, the open `if`/`case` arms and the arms being read start.
        let (mut or_lists, mut or_rights) = (Vec::new(), Vec::new());
        let (mut branches, mut arm_starts): (Vec<Vec<(usize, usize)>>, Vec<usize>) =
            (Vec::new(), Vec::new());
        for step in steps {
            match step {
                plain::Step::Pipeline if depth == 0 => self.pipelines += 1,
                plain::Step::Pipeline => {
                    let index = self.next_pipeline(depth);
                    open.push(index);
                }
                plain::Step::End => {
                    open.pop();
                }
                plain::Step::Compound => self.compound = true,
                plain::Step::OrStart => or_lists.push(self.commands.len()),
                plain::Step::OrRight => or_rights.push(self.commands.len()),
                plain::Step::OrEnd => {
                    if let (Some(&start), Some(right)) = (or_lists.last(), or_rights.pop()) {
                        self.alternative(
                            AlternativeKind::Or,
                            vec![(start, right), (right, self.commands.len())],
                        );
                    }
                }
                plain::Step::OrListEnd => {
                    or_lists.pop();
                }
                plain::Step::Branches => branches.push(Vec::new()),
                plain::Step::Arm => arm_starts.push(self.commands.len()),
                plain::Step::ArmEnd => {
                    if let (Some(start), Some(arms)) = (arm_starts.pop(), branches.last_mut()) {
                        arms.push((start, self.commands.len()));
                    }
                }
                plain::Step::BranchesEnd(kind) => {
                    if let Some(arms) = branches.pop() {
                        self.alternative(kind, arms);
                    }
                }
                plain::Step::Command(c) => {
                    let pipeline = if depth == 0 {
                        base + c.pipeline
                    } else {
                        open.last().copied().unwrap_or_default()
                    };
                    let mut words = c.words.into_iter();
                    let cmd = SimpleCommand {
                        name: words.next().unwrap_or_default(),
                        args: words.collect(),
                        assignments: c.assignments,
                        pipeline,
                        piped: c.piped,
                        nested: depth > 0,
                        recognition: Default::default(),
                    };
                    self.push(cmd, depth);
                }
            }
        }
    }

    /// The index of the next pipeline: counted per script at the top level,
    /// and across all nested (`sh -c`) scripts below it.
    fn next_pipeline(&mut self, depth: usize) -> usize {
        let counter = if depth == 0 {
            &mut self.pipelines
        } else {
            &mut self.nested_pipeline
        };
        *counter += 1;
        *counter - 1
    }

    /// Reads a script with the shell parser (or, when the guard refuses it
    /// or the parser fails, the fallback word splitter).
    fn parse_shell(&mut self, text: &str, depth: usize) -> Result<(), String> {
        if let Some(reason) = guard::refusal(text) {
            self.fallback(text, depth);
            return Err(reason.into());
        }
        let options = brush_parser::ParserOptions::default();
        // brush-parser is a dependency: should an input still make it
        // panic, that is a script it cannot parse, not a crash.
        let parsed = std::panic::catch_unwind(|| {
            brush_parser::Parser::new(Cursor::new(text), &options)
                .parse_program()
                .map_err(|err| err.to_string())
        })
        .unwrap_or_else(|_| Err("the shell parser failed on this script".into()));
        match parsed {
            Ok(program) => {
                for list in &program.complete_commands {
                    self.compound_list(list, depth);
                }
                Ok(())
            }
            Err(err) => {
                self.fallback(text, depth);
                Err(err)
            }
        }
    }

    /// Splits words at operators when the parser fails, so rules still see
    /// the commands of a script with, say, an unbalanced quote.
    fn fallback(&mut self, text: &str, depth: usize) {
        let mut current: Vec<String> = Vec::new();
        let mut piped = false;
        let mut start = self.commands.len();
        let pipeline = self.pipelines;
        self.pipelines += 1;
        let flush = |walker: &mut Walker, words: &mut Vec<String>, piped: bool| {
            if let Some((name, args)) = words.split_first() {
                walker.push(
                    SimpleCommand {
                        name: name.clone(),
                        args: args.to_vec(),
                        assignments: Vec::new(),
                        pipeline,
                        piped,
                        nested: depth > 0,
                        recognition: Default::default(),
                    },
                    depth,
                );
            }
            words.clear();
        };
        for word in split_words(text) {
            match word.as_str() {
                "|" => {
                    piped = true;
                    flush(self, &mut current, true);
                }
                "&&" | "||" | ";" | "&" => {
                    flush(self, &mut current, piped);
                    if piped {
                        for c in self.commands.iter_mut().skip(start) {
                            c.piped = true;
                        }
                    }
                    piped = false;
                    start = self.commands.len();
                    self.pipelines += 1;
                }
                _ => current.push(word),
            }
        }
        flush(self, &mut current, piped);
    }

    fn compound_list(&mut self, list: &ast::CompoundList, depth: usize) {
        for item in &list.0 {
            self.and_or(&item.0, depth);
        }
    }

    fn and_or(&mut self, list: &ast::AndOrList, depth: usize) {
        let start = self.commands.len();
        self.pipeline(&list.first, depth);
        for next in &list.additional {
            match next {
                ast::AndOr::And(p) => self.pipeline(p, depth),
                ast::AndOr::Or(p) => {
                    let right = self.commands.len();
                    self.pipeline(p, depth);
                    self.alternative(
                        AlternativeKind::Or,
                        vec![(start, right), (right, self.commands.len())],
                    );
                }
            }
        }
    }

    /// Records arms of which one runs, when two or more have commands.
    fn alternative(&mut self, kind: AlternativeKind, arms: Vec<(usize, usize)>) {
        let arms: Vec<(usize, usize)> = arms.into_iter().filter(|(s, e)| s < e).collect();
        if arms.len() >= 2 && self.alternatives.len() < MAX_ALTERNATIVES {
            self.alternatives.push(Alternative { kind, arms });
        }
    }

    /// Reads a list as one arm, appended to `arms`.
    fn arm(&mut self, list: &ast::CompoundList, depth: usize, arms: &mut Vec<(usize, usize)>) {
        let start = self.commands.len();
        self.compound_list(list, depth);
        arms.push((start, self.commands.len()));
    }

    fn pipeline(&mut self, pipeline: &ast::Pipeline, depth: usize) {
        let index = self.next_pipeline(depth);
        let piped = pipeline.seq.len() > 1;
        for command in &pipeline.seq {
            self.command(command, index, piped, depth);
        }
    }

    fn command(&mut self, command: &ast::Command, pipeline: usize, piped: bool, depth: usize) {
        match command {
            ast::Command::Simple(simple) => {
                if let Some(cmd) = simple_command(simple, pipeline, piped, depth) {
                    self.push(cmd, depth);
                }
            }
            ast::Command::Compound(compound, _) => {
                self.compound = true;
                self.compound_command(compound, depth);
            }
            ast::Command::Function(f) => {
                self.compound = true;
                self.compound_command(&f.body.0, depth);
            }
            ast::Command::ExtendedTest(..) => self.compound = true,
        }
    }

    fn compound_command(&mut self, compound: &ast::CompoundCommand, depth: usize) {
        use ast::CompoundCommand as C;
        match compound {
            C::BraceGroup(b) => self.compound_list(&b.list, depth),
            C::Subshell(s) => self.compound_list(&s.list, depth),
            C::ForClause(f) => self.compound_list(&f.body.list, depth),
            C::ArithmeticForClause(f) => self.compound_list(&f.body.list, depth),
            C::CaseClause(c) => {
                let mut arms = Vec::new();
                for item in &c.cases {
                    if let Some(list) = &item.cmd {
                        self.arm(list, depth, &mut arms);
                    }
                }
                self.alternative(AlternativeKind::Case, arms);
            }
            C::IfClause(i) => {
                self.compound_list(&i.condition, depth);
                let mut arms = Vec::new();
                self.arm(&i.then, depth, &mut arms);
                for e in i.elses.iter().flatten() {
                    if let Some(cond) = &e.condition {
                        self.compound_list(cond, depth);
                    }
                    self.arm(&e.body, depth, &mut arms);
                }
                self.alternative(AlternativeKind::If, arms);
            }
            C::WhileClause(w) | C::UntilClause(w) => {
                self.compound_list(&w.0, depth);
                self.compound_list(&w.1.list, depth);
            }
            C::Coprocess(c) => self.command(&c.body, self.pipelines, false, depth),
            C::Arithmetic(_) => {}
        }
    }

    /// Records a command, and reads the script of `sh -c '...'`.
    fn push(&mut self, cmd: SimpleCommand, depth: usize) {
        let inner = shell_c_script(&cmd).map(str::to_string);
        self.commands.push(cmd);
        if let Some(script) = inner
            && depth < MAX_SH_C_DEPTH
        {
            let _ = self.parse(&script, depth + 1);
        }
    }
}

fn simple_command(
    simple: &ast::SimpleCommand,
    pipeline: usize,
    piped: bool,
    depth: usize,
) -> Option<SimpleCommand> {
    let mut assignments = Vec::new();
    let mut words = Vec::new();
    for item in simple.prefix.iter().flat_map(|p| p.0.iter()) {
        match item {
            ast::CommandPrefixOrSuffixItem::AssignmentWord(a, _) => {
                let value = match &a.value {
                    ast::AssignmentValue::Scalar(w) => unquote(&w.value),
                    ast::AssignmentValue::Array(items) => items
                        .iter()
                        .map(|(_, w)| unquote(&w.value))
                        .collect::<Vec<_>>()
                        .join(" "),
                };
                assignments.push((a.name.to_string(), value));
            }
            ast::CommandPrefixOrSuffixItem::Word(w) => words.push(unquote(&w.value)),
            _ => {}
        }
    }
    if let Some(name) = &simple.word_or_name {
        words.push(unquote(&name.value));
    }
    for item in simple.suffix.iter().flat_map(|s| s.0.iter()) {
        match item {
            ast::CommandPrefixOrSuffixItem::Word(w) => words.push(unquote(&w.value)),
            ast::CommandPrefixOrSuffixItem::AssignmentWord(_, w) => words.push(unquote(&w.value)),
            _ => {}
        }
    }
    if words.is_empty() && assignments.is_empty() {
        return None;
    }
    let mut words = words.into_iter();
    Some(SimpleCommand {
        name: words.next().unwrap_or_default(),
        args: words.collect(),
        assignments,
        pipeline,
        piped,
        nested: depth > 0,
        recognition: Default::default(),
    })
}

/// The script of `sh -c 'script'` (also bash, ash, dash, zsh; flags such as
/// `-e`, `-ex`, `-o pipefail` before `-c` are allowed).
pub fn shell_c_script(cmd: &SimpleCommand) -> Option<&str> {
    if !matches!(
        cmd.base_name(),
        "sh" | "bash" | "ash" | "dash" | "zsh" | "ksh"
    ) {
        return None;
    }
    let mut args = cmd.args.iter();
    while let Some(arg) = args.next() {
        if arg == "-o" || arg == "+o" {
            args.next();
            continue;
        }
        match arg.strip_prefix('-') {
            Some(flags) if flags.contains('c') => return args.next().map(String::as_str),
            Some(_) => continue,
            None => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(script: &Script) -> Vec<String> {
        script.commands.iter().map(|c| c.line()).collect()
    }

    #[test]
    fn lists_pipelines_and_compounds() {
        let s = Script::parse(
            "set -eux; apt-get update && apt-get install -y \"curl\" git \\\n && rm -rf /var/lib/apt/lists/*; if [ -f x ]; then echo $HOME | tee /y; fi",
            ScriptKind::Shell,
        );
        assert_eq!(
            names(&s),
            [
                "set -eux",
                "apt-get update",
                "apt-get install -y curl git",
                "rm -rf /var/lib/apt/lists/*",
                "[ -f x ]",
                "echo $HOME",
                "tee /y"
            ]
        );
        assert!(s.has_pipe);
        assert!(!s.single_command);
        assert!(s.parse_error.is_none());
        assert!(Script::parse("pip install -r requirements.txt", ScriptKind::Shell).single_command);
    }

    /// `(kind, arms)` of each alternative, read by the plain reader and by
    /// the shell parser alike.
    fn alternatives(text: &str) -> Vec<(AlternativeKind, Vec<(usize, usize)>)> {
        let mut fast = Walker::default();
        let mut shell = Walker::default();
        let _ = fast.parse(text, 0);
        let _ = shell.parse_shell(text, 0);
        assert_eq!(walked(&fast), walked(&shell), "{text}");
        fast.alternatives
            .into_iter()
            .map(|a| (a.kind, a.arms))
            .collect()
    }

    #[test]
    fn arms_of_which_one_runs() {
        use AlternativeKind::{Case, If, Or};
        // The Next.js example: one of three installs runs.
        assert_eq!(
            alternatives(
                "if [ -f yarn.lock ]; then yarn --frozen-lockfile; \\\n  elif [ -f package-lock.json ]; then npm ci; \\\n  elif [ -f pnpm-lock.yaml ]; then corepack enable pnpm && pnpm i --frozen-lockfile; \\\n  else echo \"Lockfile not found.\" && exit 1; fi"
            ),
            [(If, vec![(1, 2), (3, 4), (5, 7), (7, 9)])]
        );
        assert_eq!(
            alternatives("npm ci || npm install"),
            [(Or, vec![(0, 1), (1, 2)])]
        );
        // ((a && b) || c) && d) || e: the inner one first.
        assert_eq!(
            alternatives("a && b || c && d || e"),
            [(Or, vec![(0, 2), (2, 3)]), (Or, vec![(0, 4), (4, 5)])]
        );
        assert_eq!(
            alternatives(
                "case \"$A\" in\n  x) apk add gcc ;;\n  *) apt-get install -y gcc ;;\nesac"
            ),
            [(Case, vec![(0, 1), (1, 2)])]
        );
        // An `if` inside an arm, and an arm without commands.
        assert_eq!(
            alternatives("if a; then if b; then c; else d; fi; else e || true; fi"),
            [
                (If, vec![(2, 3), (3, 4)]),
                (Or, vec![(4, 5), (5, 6)]),
                (If, vec![(1, 4), (4, 6)])
            ]
        );
        assert_eq!(alternatives("if a; then b; fi"), []);
        assert_eq!(alternatives("a && b; c"), []);
        // `sh -c` scripts count their arms among the outer commands.
        assert_eq!(alternatives("sh -c 'x || y'"), [(Or, vec![(1, 2), (2, 3)])]);
    }

    #[test]
    fn sh_c_strings_are_scripts_too() {
        let s = Script::parse(
            "sh -c 'apt-get update && apt-get install -y vim'",
            ScriptKind::Shell,
        );
        assert_eq!(
            names(&s),
            [
                "sh -c apt-get update && apt-get install -y vim",
                "apt-get update",
                "apt-get install -y vim"
            ]
        );
        assert!(s.commands[1].nested);
        let exec = Script::exec(&[
            "/bin/bash".into(),
            "-o".into(),
            "pipefail".into(),
            "-c".into(),
            "wget -O- x | tar xz".into(),
        ]);
        assert_eq!(exec.commands.len(), 3);
        assert!(
            !exec.has_pipe,
            "pipes in nested scripts are the nested shell's"
        );
    }

    /// What a walker found, to compare two ways of reading a script.
    fn walked(walker: &Walker) -> (&[SimpleCommand], usize, usize, bool, &[Alternative]) {
        (
            &walker.commands,
            walker.pipelines,
            walker.nested_pipeline,
            walker.compound,
            &walker.alternatives,
        )
    }

    #[test]
    fn plain_scripts_read_as_the_shell_parser_reads_them() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/files");
        let mut texts: Vec<String> = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{dir}: {e}")) {
            let path = entry.map(|e| e.path()).unwrap_or_default();
            let Ok(source) = std::fs::read_to_string(&path) else {
                continue;
            };
            let Ok(doc) = crate::dockerfile::parse(&source) else {
                continue;
            };
            let model = crate::model::Model::build(&doc);
            for run in model.instructions.iter().filter_map(|i| i.run.as_ref()) {
                for script in &run.scripts {
                    texts.push(script.text.clone());
                    texts.extend(
                        script
                            .commands
                            .iter()
                            .filter_map(shell_c_script)
                            .map(str::to_string),
                    );
                }
            }
        }
        let mut plain_ones = 0;
        for text in &texts {
            let mut fast = Walker::default();
            let mut shell = Walker::default();
            let read = fast.parse(text, 0);
            let parsed = shell.parse_shell(text, 0);
            assert_eq!(read.is_ok(), parsed.is_ok(), "{text}");
            assert_eq!(walked(&fast), walked(&shell), "{text}");
            if plain::read(text).is_some() {
                plain_ones += 1;
            }
        }
        eprintln!("{plain_ones} of {} corpus scripts are plain", texts.len());
        // Most RUN lines are plain; far fewer would mean the reader broke.
        assert!(
            plain_ones * 3 > texts.len(),
            "{plain_ones} of {}",
            texts.len()
        );
    }

    /// Where the plain reader takes `text`, it reads it as the shell
    /// parser does. (The guard refuses some scripts bash accepts, a quoted
    /// `<<` before a quote: the word splitter reads those, by design.)
    fn reads_alike(text: &str) -> Result<(), proptest::test_runner::TestCaseError> {
        if plain::read(text).is_some() && guard::refusal(text).is_none() {
            let mut fast = Walker::default();
            let mut shell = Walker::default();
            let read = fast.parse(text, 0);
            let parsed = shell.parse_shell(text, 0);
            proptest::prop_assert_eq!(read.is_ok(), parsed.is_ok(), "{:?}", text);
            proptest::prop_assert_eq!(walked(&fast), walked(&shell), "{:?}", text);
        }
        Ok(())
    }

    proptest::proptest! {
        #[test]
        fn plain_reading_agrees_with_the_shell_parser_on_any_text(
            text in "[a-cA-C_=$ {}'\"|&;*./<>()#\n\t12!-]{0,30}"
        ) {
            reads_alike(&text)?;
        }
    }

    /// Pieces of plain scripts and of almost-plain ones, for scripts the
    /// plain reader takes far more often than random text.
    const PIECES: &[&str] = &[
        "a",
        "b1",
        "A=1",
        "'x y'",
        "\"$B\"",
        "${C}",
        "$(c d)",
        "\"$(e  | f)\"",
        "$(g $(h))",
        "2>&1",
        ">x",
        "2>>y",
        "<z",
        ">&2",
        " > w",
        "#c",
        "\n",
        " && ",
        " || ",
        " | ",
        "; ",
        " ",
        "\t",
        "$(",
        ")",
        "(",
        ">",
        "&",
        "if",
        "2",
        "#",
        "\\ ",
        "\\$",
        "\"a\\\"b\\c\"",
        "${D:-e}",
        "${#D}",
        "$1",
        "$@",
        "$?",
        "x!",
        "!",
        "\\",
        "if ",
        "then ",
        "elif ",
        "else ",
        "fi",
        "for x in a",
        "do ",
        "done",
        "while ",
        "until ",
        "{ ",
        "}",
        "( ",
        "case ",
        "in ",
        "*) ",
        ";;",
        "esac",
        "{}",
        "{a,b}",
        "x}",
        "{1..3}",
        "\\;",
        "!=",
        "!x",
        "\"a!b\"",
        "\"! \"",
        " \\\n",
        "\"a\\\nb\"",
        "! ",
        "f() ",
        "g()",
        "()",
    ];

    proptest::proptest! {
        #[test]
        fn plain_reading_agrees_with_the_shell_parser_on_script_pieces(
            pieces in proptest::collection::vec(proptest::sample::select(PIECES), 0..14)
        ) {
            reads_alike(&pieces.concat())?;
        }
    }

    /// Random well-formed scripts with compound commands, from a small
    /// grammar driven by a seed.
    struct Grammar(u64);

    impl Grammar {
        fn pick<'a>(&mut self, choices: &[&'a str]) -> &'a str {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let at = usize::try_from(self.0 >> 33).unwrap_or_default() % choices.len().max(1);
            choices.get(at).copied().unwrap_or_default()
        }

        fn one_in(&mut self, n: usize) -> bool {
            let choices: Vec<&str> = (0..n).map(|i| if i == 0 { "y" } else { "" }).collect();
            self.pick(&choices) == "y"
        }

        fn separator(&mut self) -> &'static str {
            self.pick(&[
                "; ", ";", "\n", " ;\n", "\n\n", " # c\n", ";\n  ", "; \\\n  ",
            ])
        }

        fn simple(&mut self) -> String {
            self.pick(&[
                "a",
                "b x",
                "A=1 c",
                "d >/dev/null 2>&1",
                "e \"$(f g)\"",
                "[ -f x ]",
                "[ ! -d y ]",
                "h $1",
                "i }",
                "j {",
                "k 2>>log",
                "sh -c 'l && m'",
                "n=\"$(o\t\tp |\tq)\"",
                "r $( \ts\t)",
                "[ \"$a\" != x ]",
                "t \"ok!\" !u",
                "find . -exec v {} + {a,b}",
            ])
            .to_string()
        }

        fn list(&mut self, depth: u32) -> String {
            let mut s = self.and_or(depth);
            while self.one_in(3) {
                s.push_str(self.separator());
                s.push_str(&self.and_or(depth));
            }
            if self.one_in(2) {
                s.push_str(self.separator());
            }
            s
        }

        fn and_or(&mut self, depth: u32) -> String {
            let mut s = self.pipeline(depth);
            while self.one_in(3) {
                s.push_str(self.pick(&[" && ", " || ", " &&\n ", "&&"]));
                s.push_str(&self.pipeline(depth));
            }
            s
        }

        fn pipeline(&mut self, depth: u32) -> String {
            let mut s = if self.one_in(5) {
                "! ".to_string()
            } else {
                String::new()
            };
            s.push_str(&self.command(depth));
            while self.one_in(4) {
                s.push_str(self.pick(&[" | ", "|", " |\n "]));
                s.push_str(&self.command(depth));
            }
            s
        }

        fn command(&mut self, depth: u32) -> String {
            if depth > 3 {
                return self.simple();
            }
            let d = depth + 1;
            let redirect = if self.one_in(4) { " > out" } else { "" };
            match self.pick(&[
                "if", "for", "while", "case", "{", "(", "( ", "fn", "", "", "", "",
            ]) {
                "if" => {
                    let mut s = format!("if {}{}", self.list(d), self.separator());
                    s.push_str(&format!("then {}{}", self.list(d), self.separator()));
                    if self.one_in(2) {
                        s.push_str(&format!("elif {}{}", self.list(d), self.separator()));
                        s.push_str(&format!("then {}{}", self.list(d), self.separator()));
                    }
                    if self.one_in(2) {
                        s.push_str(&format!("else {}{}", self.list(d), self.separator()));
                    }
                    format!("{s}fi{redirect}")
                }
                "for" => {
                    let sep = self.separator();
                    format!(
                        "for x in a \"$B\" c{sep}do {}{}done{redirect}",
                        self.list(d),
                        self.separator()
                    )
                }
                "while" => {
                    let keyword = self.pick(&["while", "until"]);
                    let condition = format!("{}{}", self.list(d), self.separator());
                    format!(
                        "{keyword} {condition}do {}{}done",
                        self.list(d),
                        self.separator()
                    )
                }
                "case" => {
                    let mut s = format!("case \"$x\" in{}", self.pick(&[" ", "\n"]));
                    for _ in 0..self.pick(&["1", "2", "3"]).len() + usize::from(self.one_in(2)) {
                        let pattern = self.pick(&["a)", "(b)", "c|'d')", "*)", "x86_64 | amd64)"]);
                        let body = if self.one_in(4) {
                            String::new()
                        } else {
                            self.list(d)
                        };
                        s.push_str(&format!(
                            "{pattern} {body}{}",
                            self.pick(&[";;\n", " ;; ", ";;"])
                        ));
                    }
                    format!("{s}{}esac{redirect}", self.pick(&["", "\n", " "]))
                }
                "{" => format!("{{ {}{}}}{redirect}", self.list(d), self.separator()),
                "(" => format!("({}){redirect}", self.list(d)),
                "( " => format!("( {} )", self.list(d)),
                "fn" => format!(
                    "f(){}{{ {}{}}}{redirect}",
                    self.pick(&[" ", "\n", ""]),
                    self.list(d),
                    self.separator()
                ),
                _ => self.simple(),
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn plain_reading_agrees_with_the_shell_parser_on_compound_scripts(seed in 0u64..) {
            let mut grammar = Grammar(seed);
            for _ in 0..20 {
                reads_alike(&grammar.list(0))?;
            }
        }
    }

    #[test]
    fn assignments_and_unparsable_text() {
        let s = Script::parse("PIP_NO_CACHE_DIR=1 pip install x", ScriptKind::Shell);
        assert_eq!(
            s.commands[0].assignments,
            [("PIP_NO_CACHE_DIR".to_string(), "1".to_string())]
        );
        assert_eq!(s.commands[0].name, "pip");
        let s = Script::parse(
            "echo 'unterminated && apt-get install vim",
            ScriptKind::Shell,
        );
        assert!(s.parse_error.is_some());
        assert!(!s.commands.is_empty());
        let deep = format!("{}x{}", "$(".repeat(500), ")".repeat(500));
        assert!(
            Script::parse(&deep, ScriptKind::Shell)
                .parse_error
                .is_some()
        );
    }
}
