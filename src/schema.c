/* SPDX-License-Identifier: MIT */
/* schema.c: the database schema as data: the versioned migrations (SQL
 * written once for SQLite and PostgreSQL, with {id} and {blob} standing for
 * the two types they spell differently) and the tables as store.c writes
 * and exports them. A migration, once released, is never edited: a change
 * is a new migration appended to the list. docs/sql.md documents them. */
#include "store_int.h"

#include <string.h>

/* The value and its provenance, in every table that holds one. */
#define VALUE_SQL                                                          \
    "value_type TEXT, number DOUBLE PRECISION, string TEXT, unit TEXT, "   \
    "value_precision DOUBLE PRECISION, qualifier TEXT, rule_id TEXT, "     \
    "matched_text TEXT, document_no BIGINT, doc_type TEXT, "               \
    "doc_sequence BIGINT, text_start BIGINT, text_end BIGINT, "            \
    "span_start BIGINT, span_end BIGINT, source_bytes {blob}"

#define CHILD "filing_id BIGINT NOT NULL REFERENCES filings(id), "

static const char *const v1[] = {
    "CREATE TABLE filings (id {id}, filing_key TEXT NOT NULL UNIQUE, "
    "accession TEXT, form_type TEXT, filed TEXT, period TEXT, "
    "dialect TEXT NOT NULL, document_count BIGINT, header_items TEXT, "
    "source TEXT NOT NULL, content_sha256 TEXT NOT NULL, "
    "size_bytes BIGINT NOT NULL, offerings BIGINT NOT NULL, "
    "checks_run BIGINT NOT NULL, checks_failed BIGINT NOT NULL, "
    "edgar8k_version TEXT NOT NULL, ingested_at TEXT NOT NULL)",
    "CREATE TABLE filing_entities (" CHILD "entity_no BIGINT NOT NULL, "
    "role TEXT, cik TEXT, name TEXT, PRIMARY KEY (filing_id, entity_no))",
    "CREATE TABLE documents (" CHILD "document_no BIGINT NOT NULL, "
    "sequence BIGINT, type TEXT NOT NULL, filename TEXT, description TEXT, "
    "format TEXT NOT NULL, span_start BIGINT, span_end BIGINT, "
    "encoding TEXT, text_length BIGINT, text_flags BIGINT, "
    "PRIMARY KEY (filing_id, document_no))",
    "CREATE TABLE items (" CHILD "item_no BIGINT NOT NULL, number TEXT, "
    "title TEXT, document_no BIGINT, text_start BIGINT, text_end BIGINT, "
    "span_start BIGINT, span_end BIGINT, PRIMARY KEY (filing_id, item_no))",
    "CREATE TABLE offerings (" CHILD "offering_no BIGINT NOT NULL, "
    "offering_type TEXT, security TEXT, shares_offered DOUBLE PRECISION, "
    "price_per_share DOUBLE PRECISION, "
    "overallotment_shares DOUBLE PRECISION, "
    "prefunded_warrants_offered DOUBLE PRECISION, "
    "prefunded_price DOUBLE PRECISION, warrants_offered DOUBLE PRECISION, "
    "warrant_exercise_price DOUBLE PRECISION, "
    "warrant_term_years DOUBLE PRECISION, warrant_expiration_date TEXT, "
    "warrant_coverage_pct DOUBLE PRECISION, "
    "beneficial_ownership_cap_pct DOUBLE PRECISION, anti_dilution TEXT, "
    "cashless_exercise TEXT, gross_proceeds DOUBLE PRECISION, "
    "net_proceeds DOUBLE PRECISION, par_value DOUBLE PRECISION, "
    "agents TEXT, fee_pct DOUBLE PRECISION, fee_per_share DOUBLE PRECISION, "
    "advisory_fee_pct DOUBLE PRECISION, expense_cap DOUBLE PRECISION, "
    "registration_number TEXT, agreement_date TEXT, closing_date TEXT, "
    "principal_amount DOUBLE PRECISION, coupon_pct DOUBLE PRECISION, "
    "maturity_date TEXT, conversion_price DOUBLE PRECISION, "
    "max_aggregate_amount DOUBLE PRECISION, "
    "PRIMARY KEY (filing_id, offering_no))",
    "CREATE TABLE offering_values (" CHILD "offering_no BIGINT NOT NULL, "
    "field TEXT NOT NULL, alt_rank BIGINT NOT NULL, " VALUE_SQL ", "
    "PRIMARY KEY (filing_id, offering_no, field, alt_rank))",
    "CREATE TABLE fees (" CHILD "offering_no BIGINT NOT NULL, "
    "fee_kind TEXT NOT NULL, agents TEXT, " VALUE_SQL ", "
    "PRIMARY KEY (filing_id, offering_no, fee_kind))",
    "CREATE TABLE parties (" CHILD "party_no BIGINT NOT NULL, "
    "role TEXT, name TEXT, " VALUE_SQL ", PRIMARY KEY (filing_id, party_no))",
    "CREATE TABLE warrant_clauses (" CHILD "clause_no BIGINT NOT NULL, "
    "kind TEXT, " VALUE_SQL ", PRIMARY KEY (filing_id, clause_no))",
    "CREATE TABLE facts (" CHILD "fact_no BIGINT NOT NULL, metric TEXT, "
    VALUE_SQL ", PRIMARY KEY (filing_id, fact_no))",
    "CREATE TABLE value_params (" CHILD "owner TEXT NOT NULL, "
    "owner_no BIGINT NOT NULL, field TEXT NOT NULL, "
    "alt_rank BIGINT NOT NULL, param_no BIGINT NOT NULL, name TEXT, "
    "text TEXT, string TEXT, number DOUBLE PRECISION, unit TEXT, "
    "PRIMARY KEY (filing_id, owner, owner_no, field, alt_rank, param_no))",
    "CREATE TABLE findings (" CHILD "finding_no BIGINT NOT NULL, "
    "check_id TEXT NOT NULL, offering_no BIGINT, status TEXT NOT NULL, "
    "reason TEXT, formula TEXT, unit TEXT, expected DOUBLE PRECISION, "
    "actual DOUBLE PRECISION, tolerance DOUBLE PRECISION, "
    "expected_string TEXT, actual_string TEXT, "
    "PRIMARY KEY (filing_id, finding_no))",
    "CREATE TABLE finding_values (" CHILD "finding_no BIGINT NOT NULL, "
    "value_no BIGINT NOT NULL, name TEXT, number DOUBLE PRECISION, "
    "string TEXT, unit TEXT, tolerance DOUBLE PRECISION, qualifier TEXT, "
    "derived BIGINT NOT NULL, matched_text TEXT, document_no BIGINT, "
    "doc_type TEXT, doc_sequence BIGINT, span_start BIGINT, "
    "span_end BIGINT, rule_id TEXT, "
    "PRIMARY KEY (filing_id, finding_no, value_no))",
    "CREATE TABLE warnings (" CHILD "warning_no BIGINT NOT NULL, "
    "stage TEXT NOT NULL, status TEXT, byte_offset BIGINT, rule_id TEXT, "
    "message TEXT, PRIMARY KEY (filing_id, warning_no))",
    "CREATE TABLE ingest_failures (content_sha256 TEXT PRIMARY KEY, "
    "source TEXT NOT NULL, size_bytes BIGINT, status TEXT NOT NULL, "
    "byte_offset BIGINT, message TEXT, edgar8k_version TEXT NOT NULL, "
    "failed_at TEXT NOT NULL)",
    NULL};

/* Indexes for the skip test of every ingested input and the documented
 * questions (docs/sql.md). */
static const char *const v2[] = {
    "CREATE INDEX filings_content ON filings (content_sha256)",
    "CREATE INDEX offering_values_field ON offering_values (field, number)",
    "CREATE INDEX parties_role ON parties (role, name)",
    "CREATE INDEX fees_kind ON fees (fee_kind)",
    "CREATE INDEX findings_status ON findings (status, check_id)",
    NULL};

/* Share counts as integers. They were DOUBLE PRECISION, which SQLite
 * stores as REAL (2000000.0). The new types keep a fractional count
 * exactly: SQLite's INTEGER affinity stores 2000000.0 as the integer
 * 2000000 and 0.5 as REAL 0.5; PostgreSQL's NUMERIC holds any decimal.
 * Export prints the same text from both (store_export.c). */
#define COUNT_COLS(type)                                                   \
    "shares_offered " type ", price_per_share DOUBLE PRECISION, "         \
    "overallotment_shares " type ", "                                     \
    "prefunded_warrants_offered " type ", "                               \
    "prefunded_price DOUBLE PRECISION, warrants_offered " type ", "

/* SQLite cannot change a column's type: the table is rebuilt (same
 * columns, same order, same key) and its rows copied, whose counts the new
 * affinity converts on the way in. No index or view names offerings. */
static const char *const v3_sqlite[] = {
    "CREATE TABLE offerings_v3 (" CHILD "offering_no BIGINT NOT NULL, "
    "offering_type TEXT, security TEXT, " COUNT_COLS("INTEGER")
    "warrant_exercise_price DOUBLE PRECISION, "
    "warrant_term_years DOUBLE PRECISION, warrant_expiration_date TEXT, "
    "warrant_coverage_pct DOUBLE PRECISION, "
    "beneficial_ownership_cap_pct DOUBLE PRECISION, anti_dilution TEXT, "
    "cashless_exercise TEXT, gross_proceeds DOUBLE PRECISION, "
    "net_proceeds DOUBLE PRECISION, par_value DOUBLE PRECISION, "
    "agents TEXT, fee_pct DOUBLE PRECISION, fee_per_share DOUBLE PRECISION, "
    "advisory_fee_pct DOUBLE PRECISION, expense_cap DOUBLE PRECISION, "
    "registration_number TEXT, agreement_date TEXT, closing_date TEXT, "
    "principal_amount DOUBLE PRECISION, coupon_pct DOUBLE PRECISION, "
    "maturity_date TEXT, conversion_price DOUBLE PRECISION, "
    "max_aggregate_amount DOUBLE PRECISION, "
    "PRIMARY KEY (filing_id, offering_no))",
    "INSERT INTO offerings_v3 SELECT * FROM offerings",
    "DROP TABLE offerings",
    "ALTER TABLE offerings_v3 RENAME TO offerings",
    NULL};

/* The doubles go through their shortest exact text (float8's own cast to
 * numeric keeps only 15 digits), which extra_float_digits > 0 selects. */
static const char *const v3_pg[] = {
    "SET LOCAL extra_float_digits = 3",
    "ALTER TABLE offerings "
    "ALTER COLUMN shares_offered TYPE NUMERIC "
    "USING shares_offered::text::numeric, "
    "ALTER COLUMN overallotment_shares TYPE NUMERIC "
    "USING overallotment_shares::text::numeric, "
    "ALTER COLUMN prefunded_warrants_offered TYPE NUMERIC "
    "USING prefunded_warrants_offered::text::numeric, "
    "ALTER COLUMN warrants_offered TYPE NUMERIC "
    "USING warrants_offered::text::numeric",
    NULL};

const e8k_migration e8k_migrations[] = {
    {1, "tables", v1, NULL, NULL},
    {2, "indexes", v2, NULL, NULL},
    {3, "integer counts", NULL, v3_sqlite, v3_pg},
};
const size_t e8k_nmigrations = sizeof e8k_migrations / sizeof e8k_migrations[0];

int e8k_store_field_numeric(size_t field)
{
    static const char *const text[] = {
        "offering_type", "security", "warrant_expiration_date",
        "anti_dilution", "cashless_exercise", "agents",
        "registration_number", "agreement_date", "closing_date",
        "maturity_date"};
    for (size_t i = 0; i < sizeof text / sizeof text[0]; i++)
        if (!strcmp(e8k_offering_fields[field], text[i]))
            return 0;
    return 1;
}

#define T E8K_SQL_TEXT
#define I E8K_SQL_INT
#define R E8K_SQL_REAL
#define B E8K_SQL_BLOB

const e8k_column e8k_value_cols[E8K_VALUE_NCOLS] = {
    {"value_type", T}, {"number", R},       {"string", T},
    {"unit", T},       {"value_precision", R}, {"qualifier", T},
    {"rule_id", T},    {"matched_text", T}, {"document_no", I},
    {"doc_type", T},   {"doc_sequence", I}, {"text_start", I},
    {"text_end", I},   {"span_start", I},   {"span_end", I},
    {"source_bytes", B}};

#define VALUE_COLS                                                         \
    {"value_type", T}, {"number", R}, {"string", T}, {"unit", T},          \
        {"value_precision", R}, {"qualifier", T}, {"rule_id", T},          \
        {"matched_text", T}, {"document_no", I}, {"doc_type", T},          \
        {"doc_sequence", I}, {"text_start", I}, {"text_end", I},           \
        {"span_start", I}, {"span_end", I}, {                              \
        "source_bytes", B                                                  \
    }

#define N(a) (sizeof(a) / sizeof(a)[0])

/* filings: id and ingested_at are bookkeeping, not exported. */
static const e8k_column c_filings[] = {
    {"filing_key", T},     {"accession", T},      {"form_type", T},
    {"filed", T},          {"period", T},         {"dialect", T},
    {"document_count", I}, {"header_items", T},   {"source", T},
    {"content_sha256", T}, {"size_bytes", I},     {"offerings", I},
    {"checks_run", I},     {"checks_failed", I},  {"edgar8k_version", T}};
static const e8k_column c_entities[] = {
    {"entity_no", I}, {"role", T}, {"cik", T}, {"name", T}};
static const e8k_column c_documents[] = {
    {"document_no", I}, {"sequence", I},    {"type", T},
    {"filename", T},    {"description", T}, {"format", T},
    {"span_start", I},  {"span_end", I},    {"encoding", T},
    {"text_length", I}, {"text_flags", I}};
static const e8k_column c_items[] = {
    {"item_no", I},    {"number", T},   {"title", T},
    {"document_no", I}, {"text_start", I}, {"text_end", I},
    {"span_start", I}, {"span_end", I}};
static const e8k_column c_offerings[] = {
    {"offering_no", I}, {"offering_type", T}, {"security", T},
    {"shares_offered", R}, {"price_per_share", R},
    {"overallotment_shares", R}, {"prefunded_warrants_offered", R},
    {"prefunded_price", R}, {"warrants_offered", R},
    {"warrant_exercise_price", R}, {"warrant_term_years", R},
    {"warrant_expiration_date", T}, {"warrant_coverage_pct", R},
    {"beneficial_ownership_cap_pct", R}, {"anti_dilution", T},
    {"cashless_exercise", T}, {"gross_proceeds", R}, {"net_proceeds", R},
    {"par_value", R}, {"agents", T}, {"fee_pct", R}, {"fee_per_share", R},
    {"advisory_fee_pct", R}, {"expense_cap", R},
    {"registration_number", T}, {"agreement_date", T},
    {"closing_date", T}, {"principal_amount", R}, {"coupon_pct", R},
    {"maturity_date", T}, {"conversion_price", R},
    {"max_aggregate_amount", R}};
static const e8k_column c_offering_values[] = {
    {"offering_no", I}, {"field", T}, {"alt_rank", I}, VALUE_COLS};
static const e8k_column c_fees[] = {
    {"offering_no", I}, {"fee_kind", T}, {"agents", T}, VALUE_COLS};
static const e8k_column c_parties[] = {
    {"party_no", I}, {"role", T}, {"name", T}, VALUE_COLS};
static const e8k_column c_clauses[] = {
    {"clause_no", I}, {"kind", T}, VALUE_COLS};
static const e8k_column c_facts[] = {{"fact_no", I}, {"metric", T}, VALUE_COLS};
static const e8k_column c_params[] = {
    {"owner", T},    {"owner_no", I}, {"field", T}, {"alt_rank", I},
    {"param_no", I}, {"name", T},     {"text", T},  {"string", T},
    {"number", R},   {"unit", T}};
static const e8k_column c_findings[] = {
    {"finding_no", I},      {"check_id", T},     {"offering_no", I},
    {"status", T},          {"reason", T},       {"formula", T},
    {"unit", T},            {"expected", R},     {"actual", R},
    {"tolerance", R},       {"expected_string", T}, {"actual_string", T}};
static const e8k_column c_finding_values[] = {
    {"finding_no", I},  {"value_no", I},    {"name", T},
    {"number", R},      {"string", T},      {"unit", T},
    {"tolerance", R},   {"qualifier", T},   {"derived", I},
    {"matched_text", T}, {"document_no", I}, {"doc_type", T},
    {"doc_sequence", I}, {"span_start", I}, {"span_end", I},
    {"rule_id", T}};
static const e8k_column c_warnings[] = {
    {"warning_no", I}, {"stage", T},   {"status", T},
    {"byte_offset", I}, {"rule_id", T}, {"message", T}};
/* failed_at is bookkeeping, not exported. */
static const e8k_column c_failures[] = {
    {"content_sha256", T}, {"source", T},      {"size_bytes", I},
    {"status", T},         {"byte_offset", I}, {"message", T},
    {"edgar8k_version", T}};

#define TABLE(var, name, cols, order, child) \
    static const e8k_table var = {name, cols, N(cols), order, child}

TABLE(t_filings, "filings", c_filings, "filing_key", 0);
TABLE(t_entities, "filing_entities", c_entities, "entity_no", 1);
TABLE(t_documents, "documents", c_documents, "document_no", 1);
TABLE(t_items, "items", c_items, "item_no", 1);
TABLE(t_offerings, "offerings", c_offerings, "offering_no", 1);
TABLE(t_offering_values, "offering_values", c_offering_values,
      "offering_no, field, alt_rank", 1);
TABLE(t_fees, "fees", c_fees, "offering_no, fee_kind", 1);
TABLE(t_parties, "parties", c_parties, "party_no", 1);
TABLE(t_clauses, "warrant_clauses", c_clauses, "clause_no", 1);
TABLE(t_facts, "facts", c_facts, "fact_no", 1);
TABLE(t_params, "value_params", c_params,
      "owner, owner_no, field, alt_rank, param_no", 1);
TABLE(t_findings, "findings", c_findings, "finding_no", 1);
TABLE(t_finding_values, "finding_values", c_finding_values,
      "finding_no, value_no", 1);
TABLE(t_warnings, "warnings", c_warnings, "warning_no", 1);
TABLE(t_failures, "ingest_failures", c_failures, "content_sha256", 0);

const e8k_table *const e8k_tables[E8K_NTABLES] = {
    [E8K_T_FILINGS] = &t_filings,
    [E8K_T_ENTITIES] = &t_entities,
    [E8K_T_DOCUMENTS] = &t_documents,
    [E8K_T_ITEMS] = &t_items,
    [E8K_T_OFFERINGS] = &t_offerings,
    [E8K_T_OFFERING_VALUES] = &t_offering_values,
    [E8K_T_FEES] = &t_fees,
    [E8K_T_PARTIES] = &t_parties,
    [E8K_T_CLAUSES] = &t_clauses,
    [E8K_T_FACTS] = &t_facts,
    [E8K_T_PARAMS] = &t_params,
    [E8K_T_FINDINGS] = &t_findings,
    [E8K_T_FINDING_VALUES] = &t_finding_values,
    [E8K_T_WARNINGS] = &t_warnings,
    [E8K_T_FAILURES] = &t_failures};
const size_t e8k_ntables = E8K_NTABLES;

const e8k_table *e8k_table_find(const char *name)
{
    for (size_t i = 0; i < e8k_ntables; i++)
        if (!strcmp(e8k_tables[i]->name, name))
            return e8k_tables[i];
    return NULL;
}

const char *e8k_store_table_name(size_t i)
{
    return i < e8k_ntables ? e8k_tables[i]->name : NULL;
}
