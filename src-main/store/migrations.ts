// The workspace schema as numbered migrations. Each runs in one transaction and `user_version`
// records the last one applied, so a database is always at a known version. Tables are STRICT
// and plain: a researcher can read them with the sqlite3 shell (see docs/workspace.md).

export const MIGRATIONS: readonly string[] = [
  // 1: runs, their metrics, tags, notes, files, analyses and sweeps
  `
  CREATE TABLE sweeps (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    grid        TEXT NOT NULL,             -- JSON: {"gate": ["bilinear", "sqs"], "seed": [0, 1]}
    base_config TEXT NOT NULL,             -- JSON: the train config every run starts from
    created_at  REAL NOT NULL              -- unix seconds
  ) STRICT;

  CREATE TABLE runs (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,   -- never reused, even after a delete
    name          TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('queued','running','completed','failed','diverged','interrupted','cancelled')),
    config        TEXT NOT NULL CHECK (json_valid(config)),   -- the full TrainConfig as JSON
    gate          TEXT NOT NULL,
    seed          INTEGER NOT NULL,
    dataset       TEXT NOT NULL,
    dataset_sha256 TEXT,
    sweep_id      INTEGER REFERENCES sweeps(id) ON DELETE SET NULL,
    created_at    REAL NOT NULL,
    started_at    REAL,
    ended_at      REAL,
    app_version   TEXT NOT NULL,
    git_commit    TEXT,
    execution_provider TEXT NOT NULL,
    host          TEXT NOT NULL,
    pid           INTEGER,                 -- the process training it, while running
    error         TEXT,
    epochs_done   INTEGER NOT NULL DEFAULT 0,
    steps_done    INTEGER NOT NULL DEFAULT 0,
    -- final metrics, copied here when each evaluation is recorded, so lists sort and filter fast
    train_loss    REAL,
    test_loss     REAL,
    test_accuracy REAL
  ) STRICT;
  CREATE INDEX runs_status ON runs(status);
  CREATE INDEX runs_gate ON runs(gate);
  CREATE INDEX runs_created ON runs(created_at);
  CREATE INDEX runs_test_accuracy ON runs(test_accuracy);
  CREATE INDEX runs_sweep ON runs(sweep_id);

  CREATE TABLE metrics (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step   INTEGER NOT NULL,
    epoch  INTEGER NOT NULL,
    name   TEXT NOT NULL,                  -- train_loss, test_loss, test_accuracy, lr, seconds
    value  REAL,
    PRIMARY KEY (run_id, name, step)
  ) STRICT, WITHOUT ROWID;
  -- "best value per run": max/min over (name, run) without touching other rows
  CREATE INDEX metrics_by_name ON metrics(name, run_id, value);

  CREATE TABLE tags (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    tag    TEXT NOT NULL CHECK (length(tag) BETWEEN 1 AND 64),
    PRIMARY KEY (run_id, tag)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX tags_by_tag ON tags(tag, run_id);

  CREATE TABLE notes (
    id         INTEGER PRIMARY KEY,
    run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    body       TEXT NOT NULL,
    created_at REAL NOT NULL
  ) STRICT;
  CREATE INDEX notes_by_run ON notes(run_id);

  CREATE TABLE artifacts (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    path   TEXT NOT NULL,                  -- relative to the run's folder
    kind   TEXT NOT NULL,                  -- weights, checkpoint, model, config, metrics, analysis
    sha256 TEXT NOT NULL,
    bytes  INTEGER NOT NULL,
    PRIMARY KEY (run_id, path)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE analyses (
    id         INTEGER PRIMARY KEY,
    run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,              -- spectra
    summary    TEXT NOT NULL CHECK (json_valid(summary)),
    created_at REAL NOT NULL
  ) STRICT;
  CREATE INDEX analyses_by_run ON analyses(run_id);
  `,
  // 2: IDX folders imported as datasets, checked once when imported
  `
  CREATE TABLE datasets (
    spec        TEXT PRIMARY KEY,          -- idx:<absolute folder>, as runs store it
    name        TEXT NOT NULL,
    path        TEXT NOT NULL,
    train_n     INTEGER NOT NULL,
    test_n      INTEGER NOT NULL,
    classes     INTEGER NOT NULL,
    image_rows  INTEGER NOT NULL,
    image_cols  INTEGER NOT NULL,
    sha256      TEXT NOT NULL,             -- of the files as they were read at import
    source      TEXT NOT NULL,
    imported_at REAL NOT NULL
  ) STRICT, WITHOUT ROWID;
  `,
  // 3: where each run trains, and its Slurm job while it trains on a cluster (docs/slurm.md)
  `
  ALTER TABLE runs ADD COLUMN executor TEXT NOT NULL DEFAULT 'local' CHECK (executor IN ('local', 'slurm'));
  ALTER TABLE runs ADD COLUMN executor_options TEXT CHECK (executor_options IS NULL OR json_valid(executor_options));   -- JSON: the Slurm options it was submitted with
  ALTER TABLE runs ADD COLUMN slurm_job TEXT;      -- <array job id>_<task index> of its latest submission
  ALTER TABLE runs ADD COLUMN slurm_state TEXT;    -- PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT, NODE_FAIL, …
  ALTER TABLE runs ADD COLUMN slurm_reason TEXT;   -- why a pending job waits: Resources, Priority, …
  CREATE INDEX runs_slurm_active ON runs(executor, status);
  `,
];

/** The schema version this build of the app writes and understands. */
export const SCHEMA_VERSION = MIGRATIONS.length;
