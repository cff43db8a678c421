use super::*;

fn convert(text: &str) -> Outcome {
    convert_text(text, &ConvertOptions::default())
        .unwrap_or_else(|r| panic!("{text}\nrefused: {r}"))
}

#[test]
fn seed_python_becomes_builder_and_slim_runtime() {
    let out = convert(
        "FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD [\"python\", \"main.py\"]\n",
    );
    let c = &out.conversion;
    assert_eq!(c.ecosystem, Ecosystem::Python);
    assert_eq!(
        c.dockerfile,
        "FROM python:3.12 AS builder\nWORKDIR /app\nCOPY requirements.txt .\nRUN python -m venv /opt/venv\nENV VIRTUAL_ENV=/opt/venv PATH=\"/opt/venv/bin:$PATH\"\nRUN pip install -r requirements.txt\n\nFROM python:3.12-slim AS runtime\nWORKDIR /app\nCOPY --from=builder /opt/venv /opt/venv\nENV VIRTUAL_ENV=/opt/venv PATH=\"/opt/venv/bin:$PATH\"\nCOPY . .\nRUN useradd --create-home --uid 10001 appuser\nUSER appuser\nCMD [\"python\", \"main.py\"]\n"
    );
    // Converting again changes nothing.
    let again = convert(&c.dockerfile);
    assert!(again.conversion.unchanged, "{:?}", again.conversion);
    assert_eq!(again.conversion.dockerfile, c.dockerfile);
}

#[test]
fn dev_packages_become_runtime_libraries() {
    let out = convert(
        "FROM python:3.12-bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev && rm -rf /var/lib/apt/lists/*\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD [\"gunicorn\", \"app:app\"]\n",
    );
    let d = &out.conversion.dockerfile;
    assert!(
        d.contains("FROM python:3.12-slim-bookworm AS runtime"),
        "{d}"
    );
    assert!(
        d.contains("apt-get install -y --no-install-recommends libpq5"),
        "{d}"
    );
    assert!(
        !d.split("AS runtime")
            .nth(1)
            .unwrap_or_default()
            .contains("gcc"),
        "{d}"
    );
}

#[test]
fn minimal_files_are_left_alone() {
    let text = "FROM python:3.12-slim\nCOPY app.py .\nCMD [\"python\", \"app.py\"]\n";
    let out = convert(text);
    assert!(out.conversion.unchanged);
    assert_eq!(out.conversion.dockerfile, text);
}

#[test]
fn the_built_image_keeps_its_stage_name() {
    let python_app = |stage: &str| {
        convert(&format!(
            "FROM python:3.12 AS {stage}\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD [\"python\", \"main.py\"]\n"
        ))
    };
    // `docker build --target app` built the image; it still does.
    let out = python_app("app");
    let d = &out.conversion.dockerfile;
    assert!(d.contains("FROM python:3.12 AS builder\n"), "{d}");
    assert!(d.contains("FROM python:3.12-slim AS app\n"), "{d}");
    assert!(d.contains("COPY --from=builder /opt/venv"), "{d}");
    let again = convert(d);
    assert!(again.conversion.unchanged, "{:?}", again.conversion);

    // A final stage already called `builder`: the new build stage moves
    // aside and every reference to it follows.
    let out = python_app("builder");
    let d = &out.conversion.dockerfile;
    assert!(d.contains("FROM python:3.12 AS builder-2\n"), "{d}");
    assert!(d.contains("FROM python:3.12-slim AS builder\n"), "{d}");
    assert!(d.contains("COPY --from=builder-2 /opt/venv"), "{d}");
    assert!(crate::dockerfile::parse(d).is_ok(), "{d}");
}
