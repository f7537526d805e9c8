-- The project's tables on PostgreSQL: schema 10, the same tables, columns and counters as a
-- project file of schema 10 (annotator/storage/schema.py), written in PostgreSQL's own terms.
-- What SQLite does by itself is done here by triggers: a row inserted without an id (or with a
-- NULL one) gets the next of its table's sequence, which an id chosen by the caller (an import's
-- max + 1, undo putting a span back under its old id) moves past; the full-text index
-- (documents_fts) is a tsvector kept beside each document.

SET LOCAL check_function_bodies = off;  -- functions name tables made further down

CREATE TABLE annotator_schema (application TEXT NOT NULL, version INTEGER NOT NULL);

CREATE FUNCTION annotator_next_id() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids regclass := TG_ARGV[0]::regclass;  -- the table's sequence
BEGIN
    IF NEW.id IS NULL THEN
        NEW.id := nextval(ids);
    ELSIF NEW.id > coalesce(pg_sequence_last_value(ids), 0) THEN  -- an id chosen by the caller (an import's)
        PERFORM setval(ids, NEW.id);
    END IF;
    RETURN NEW;
END $$;

CREATE FUNCTION annotator_visible(doc BIGINT) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT NOT EXISTS (SELECT 1 FROM pending_docs WHERE doc_id = doc)
$$;

-- SQLite's total(): a sum that is 0.0 over no rows.
CREATE AGGREGATE total(double precision) (SFUNC = float8pl, STYPE = double precision, INITCOND = '0');

CREATE TABLE documents (
    id BIGINT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, text TEXT NOT NULL, title TEXT NOT NULL,
    date TEXT, meta TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'skipped')),
    created TEXT NOT NULL, updated TEXT NOT NULL
);
CREATE INDEX documents_status ON documents(status);
CREATE TABLE documents_fts (
    rowid BIGINT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE, tsv TSVECTOR NOT NULL
);
CREATE INDEX documents_fts_tsv ON documents_fts USING gin (tsv);
CREATE TABLE labels (
    name TEXT PRIMARY KEY, layer TEXT NOT NULL CHECK (layer IN ('entities', 'numbers')),
    colour TEXT NOT NULL, key TEXT UNIQUE, position BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE annotations (
    id BIGINT PRIMARY KEY, doc_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    layer TEXT NOT NULL CHECK (layer IN ('entities', 'numbers')),
    start BIGINT NOT NULL, "end" BIGINT NOT NULL CHECK ("end" > start), label TEXT NOT NULL,
    text TEXT NOT NULL, value DOUBLE PRECISION, kind TEXT, approx BIGINT NOT NULL DEFAULT 0, unit TEXT,
    origin TEXT NOT NULL, confirmed BIGINT NOT NULL DEFAULT 1, annotator TEXT NOT NULL,
    created TEXT NOT NULL, updated TEXT NOT NULL, resolved TEXT
);
CREATE INDEX annotations_doc ON annotations(doc_id, annotator, label);
CREATE TABLE predictions (
    id BIGINT PRIMARY KEY, doc_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    layer TEXT NOT NULL, start BIGINT NOT NULL, "end" BIGINT NOT NULL, label TEXT NOT NULL,
    text TEXT NOT NULL, value DOUBLE PRECISION, kind TEXT, approx BIGINT NOT NULL DEFAULT 0, unit TEXT,
    model TEXT NOT NULL, model_version TEXT NOT NULL, created TEXT NOT NULL, resolved TEXT
);
CREATE INDEX predictions_doc ON predictions(doc_id, model);
CREATE TABLE edits (
    id BIGINT PRIMARY KEY, doc_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    annotator TEXT NOT NULL, action TEXT NOT NULL, changes TEXT NOT NULL, at TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('done', 'undone', 'discarded'))
);
CREATE INDEX edits_annotator ON edits(annotator, state);
CREATE INDEX edits_doc ON edits(doc_id);
CREATE TABLE models (name TEXT PRIMARY KEY, path TEXT NOT NULL, info TEXT NOT NULL, created TEXT NOT NULL);

CREATE TABLE pending_imports (
    id BIGINT PRIMARY KEY, pid BIGINT NOT NULL, host TEXT NOT NULL, started TEXT NOT NULL, heartbeat TEXT NOT NULL
);
CREATE TABLE pending_docs (doc_id BIGINT PRIMARY KEY, import_id BIGINT NOT NULL);
CREATE INDEX pending_docs_import ON pending_docs(import_id);
CREATE TABLE label_changes (id BIGINT PRIMARY KEY, old TEXT NOT NULL, new TEXT, at TEXT NOT NULL);
CREATE INDEX label_changes_old ON label_changes(old, at);
CREATE TABLE status_counts (status TEXT PRIMARY KEY, n BIGINT NOT NULL);
CREATE TABLE span_counts (
    annotator TEXT, layer TEXT, label TEXT, origin TEXT, n BIGINT NOT NULL, PRIMARY KEY (annotator, layer, label, origin)
);
CREATE TABLE prediction_counts (
    model TEXT, version TEXT, layer TEXT, n BIGINT NOT NULL, PRIMARY KEY (model, version, layer)
);
CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE category_groups (
    name TEXT PRIMARY KEY, exclusive BIGINT NOT NULL DEFAULT 0 CHECK (exclusive IN (0, 1))
);
CREATE TABLE category_labels (
    name TEXT PRIMARY KEY, grp TEXT NOT NULL DEFAULT '', colour TEXT NOT NULL, key TEXT UNIQUE,
    position BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE document_categories (
    doc_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    annotator TEXT NOT NULL,
    label TEXT NOT NULL REFERENCES category_labels(name) ON UPDATE CASCADE ON DELETE CASCADE,
    origin TEXT NOT NULL, created TEXT NOT NULL,
    PRIMARY KEY (doc_id, annotator, label)
);
CREATE INDEX document_categories_label ON document_categories(label);
CREATE TABLE category_predictions (
    doc_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    model TEXT NOT NULL, model_version TEXT NOT NULL, label TEXT NOT NULL, score DOUBLE PRECISION NOT NULL,
    created TEXT NOT NULL,
    PRIMARY KEY (doc_id, model, label)
);
CREATE TABLE relation_labels (
    name TEXT PRIMARY KEY, colour TEXT NOT NULL, key TEXT UNIQUE,
    directed BIGINT NOT NULL DEFAULT 1 CHECK (directed IN (0, 1)),
    heads TEXT NOT NULL DEFAULT '', children TEXT NOT NULL DEFAULT '', position BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE relations (
    id BIGINT PRIMARY KEY,
    doc_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    head BIGINT NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
    child BIGINT NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
    label TEXT NOT NULL REFERENCES relation_labels(name) ON UPDATE CASCADE ON DELETE CASCADE,
    origin TEXT NOT NULL, confirmed BIGINT NOT NULL DEFAULT 1, annotator TEXT NOT NULL, created TEXT NOT NULL,
    CHECK (head != child), UNIQUE (head, child, label)
);
CREATE INDEX relations_doc ON relations(doc_id, annotator);
CREATE INDEX relations_child ON relations(child);
CREATE INDEX relations_label ON relations(label);
CREATE TABLE relation_predictions (
    id BIGINT PRIMARY KEY,
    doc_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    head BIGINT NOT NULL REFERENCES predictions(id) ON DELETE CASCADE,
    child BIGINT NOT NULL REFERENCES predictions(id) ON DELETE CASCADE,
    label TEXT NOT NULL, model TEXT NOT NULL, model_version TEXT NOT NULL, created TEXT NOT NULL,
    CHECK (head != child)
);
CREATE INDEX relation_predictions_doc ON relation_predictions(doc_id, model);
CREATE INDEX relation_predictions_head ON relation_predictions(head);
CREATE INDEX relation_predictions_child ON relation_predictions(child);
CREATE TABLE link_counts (
    kind TEXT, owner TEXT, label TEXT, origin TEXT, n BIGINT NOT NULL, PRIMARY KEY (kind, owner, label, origin)
);
CREATE TABLE decisions (
    annotator TEXT NOT NULL, key TEXT NOT NULL, doc_id BIGINT NOT NULL, label TEXT NOT NULL,
    shape TEXT NOT NULL, text TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (annotator, key, doc_id)
);

CREATE SEQUENCE documents_id_seq;
CREATE TRIGGER documents_id BEFORE INSERT ON documents FOR EACH ROW EXECUTE FUNCTION annotator_next_id('documents_id_seq');
CREATE SEQUENCE annotations_id_seq;
CREATE TRIGGER annotations_id BEFORE INSERT ON annotations FOR EACH ROW EXECUTE FUNCTION annotator_next_id('annotations_id_seq');
CREATE SEQUENCE predictions_id_seq;
CREATE TRIGGER predictions_id BEFORE INSERT ON predictions FOR EACH ROW EXECUTE FUNCTION annotator_next_id('predictions_id_seq');
CREATE SEQUENCE edits_id_seq;
CREATE TRIGGER edits_id BEFORE INSERT ON edits FOR EACH ROW EXECUTE FUNCTION annotator_next_id('edits_id_seq');
CREATE SEQUENCE pending_imports_id_seq;
CREATE TRIGGER pending_imports_id BEFORE INSERT ON pending_imports FOR EACH ROW EXECUTE FUNCTION annotator_next_id('pending_imports_id_seq');
CREATE SEQUENCE label_changes_id_seq;
CREATE TRIGGER label_changes_id BEFORE INSERT ON label_changes FOR EACH ROW EXECUTE FUNCTION annotator_next_id('label_changes_id_seq');
CREATE SEQUENCE relations_id_seq;
CREATE TRIGGER relations_id BEFORE INSERT ON relations FOR EACH ROW EXECUTE FUNCTION annotator_next_id('relations_id_seq');
CREATE SEQUENCE relation_predictions_id_seq;
CREATE TRIGGER relation_predictions_id BEFORE INSERT ON relation_predictions
    FOR EACH ROW EXECUTE FUNCTION annotator_next_id('relation_predictions_id_seq');

-- A document's words, searched with plainto_tsquery('simple', …) (documents.py's quoted words).
CREATE FUNCTION documents_fts_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE documents_fts SET tsv = to_tsvector('simple', NEW.title || ' ' || NEW.text) WHERE rowid = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER documents_au AFTER UPDATE OF title, text ON documents
    FOR EACH ROW EXECUTE FUNCTION documents_fts_update();

-- The counters (schema 3, 5 and 9 on SQLite): documents of an unfinished import are not counted.
CREATE FUNCTION count_documents() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') AND annotator_visible(OLD.id) THEN
        UPDATE status_counts SET n = n - 1 WHERE status = OLD.status;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND annotator_visible(NEW.id) THEN
        INSERT INTO status_counts VALUES (NEW.status, 1) ON CONFLICT (status) DO UPDATE SET n = status_counts.n + 1;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER count_document_in AFTER INSERT ON documents FOR EACH ROW EXECUTE FUNCTION count_documents();
CREATE TRIGGER count_document_out AFTER DELETE ON documents FOR EACH ROW EXECUTE FUNCTION count_documents();
CREATE TRIGGER count_document_status AFTER UPDATE OF status ON documents
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION count_documents();

-- Added spans are counted by the code that adds them (counts.add_span_counts), as on SQLite.
CREATE FUNCTION count_spans() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') AND annotator_visible(OLD.doc_id) THEN
        UPDATE span_counts SET n = n - 1
        WHERE annotator = OLD.annotator AND layer = OLD.layer AND label = OLD.label AND origin = OLD.origin;
    END IF;
    IF TG_OP = 'UPDATE' AND annotator_visible(NEW.doc_id) THEN
        INSERT INTO span_counts VALUES (NEW.annotator, NEW.layer, NEW.label, NEW.origin, 1)
        ON CONFLICT (annotator, layer, label, origin) DO UPDATE SET n = span_counts.n + 1;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER count_span_out AFTER DELETE ON annotations FOR EACH ROW EXECUTE FUNCTION count_spans();
CREATE TRIGGER count_span_change AFTER UPDATE OF annotator, layer, label, origin ON annotations FOR EACH ROW
    WHEN ((OLD.annotator, OLD.layer, OLD.label, OLD.origin) IS DISTINCT FROM (NEW.annotator, NEW.layer, NEW.label, NEW.origin))
    EXECUTE FUNCTION count_spans();

CREATE FUNCTION count_predictions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND annotator_visible(OLD.doc_id) THEN
        UPDATE prediction_counts SET n = n - 1
        WHERE model = OLD.model AND version = OLD.model_version AND layer = OLD.layer;
    END IF;
    IF TG_OP = 'INSERT' AND annotator_visible(NEW.doc_id) THEN
        INSERT INTO prediction_counts VALUES (NEW.model, NEW.model_version, NEW.layer, 1)
        ON CONFLICT (model, version, layer) DO UPDATE SET n = prediction_counts.n + 1;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER count_prediction_in AFTER INSERT ON predictions FOR EACH ROW EXECUTE FUNCTION count_predictions();
CREATE TRIGGER count_prediction_out AFTER DELETE ON predictions FOR EACH ROW EXECUTE FUNCTION count_predictions();

-- Document labels and relations (schema 9): TG_ARGV is (kind, owner column); a model's have origin 'model'.
CREATE FUNCTION count_links() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    link_kind TEXT := TG_ARGV[0];
    old_row JSONB := CASE WHEN TG_OP IN ('DELETE', 'UPDATE') THEN to_jsonb(OLD) END;
    new_row JSONB := CASE WHEN TG_OP IN ('INSERT', 'UPDATE') THEN to_jsonb(NEW) END;
BEGIN
    IF old_row IS NOT NULL THEN
        UPDATE link_counts SET n = n - 1
        WHERE kind = link_kind AND owner = old_row ->> TG_ARGV[1] AND label = old_row ->> 'label'
          AND origin = coalesce(old_row ->> 'origin', 'model');
    END IF;
    IF new_row IS NOT NULL THEN
        INSERT INTO link_counts VALUES (link_kind, new_row ->> TG_ARGV[1], new_row ->> 'label',
                                        coalesce(new_row ->> 'origin', 'model'), 1)
        ON CONFLICT ON CONSTRAINT link_counts_pkey DO UPDATE SET n = link_counts.n + 1;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER count_category_in AFTER INSERT ON document_categories
    FOR EACH ROW EXECUTE FUNCTION count_links('category', 'annotator');
CREATE TRIGGER count_category_out AFTER DELETE ON document_categories
    FOR EACH ROW EXECUTE FUNCTION count_links('category', 'annotator');
CREATE TRIGGER count_category_change AFTER UPDATE OF annotator, label, origin ON document_categories
    FOR EACH ROW EXECUTE FUNCTION count_links('category', 'annotator');
CREATE TRIGGER count_relation_in AFTER INSERT ON relations FOR EACH ROW EXECUTE FUNCTION count_links('relation', 'annotator');
CREATE TRIGGER count_relation_out AFTER DELETE ON relations FOR EACH ROW EXECUTE FUNCTION count_links('relation', 'annotator');
CREATE TRIGGER count_relation_change AFTER UPDATE OF annotator, label, origin ON relations
    FOR EACH ROW EXECUTE FUNCTION count_links('relation', 'annotator');
CREATE TRIGGER count_category_prediction_in AFTER INSERT ON category_predictions
    FOR EACH ROW EXECUTE FUNCTION count_links('category_prediction', 'model');
CREATE TRIGGER count_category_prediction_out AFTER DELETE ON category_predictions
    FOR EACH ROW EXECUTE FUNCTION count_links('category_prediction', 'model');
CREATE TRIGGER count_category_prediction_change AFTER UPDATE OF model, label ON category_predictions
    FOR EACH ROW EXECUTE FUNCTION count_links('category_prediction', 'model');
CREATE TRIGGER count_relation_prediction_in AFTER INSERT ON relation_predictions
    FOR EACH ROW EXECUTE FUNCTION count_links('relation_prediction', 'model');
CREATE TRIGGER count_relation_prediction_out AFTER DELETE ON relation_predictions
    FOR EACH ROW EXECUTE FUNCTION count_links('relation_prediction', 'model');
CREATE TRIGGER count_relation_prediction_change AFTER UPDATE OF model, label ON relation_predictions
    FOR EACH ROW EXECUTE FUNCTION count_links('relation_prediction', 'model');
