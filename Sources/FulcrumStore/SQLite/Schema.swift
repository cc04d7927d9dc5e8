import GRDB

/// The canonical, account-centric schema, created by versioned migrations.
///
/// Every fact table carries `account_id` so the same layout can later be
/// distributed by account (Citus); it is nullable only where the source may
/// not know the account yet (free-mail leads and their touches). Every table
/// that can be imported carries `source` and `external_id`, the key that makes
/// re-imports idempotent. Days are `YYYY-MM-DD` text, instants
/// `YYYY-MM-DDTHH:MM:SSZ` (UTC), months `YYYY-MM`, money integer minor units
/// with an ISO currency. docs/data-model.md documents every column.
enum Schema {
    static let tablesMigration = "v1-tables"
    static let indexesMigration = "v1-indexes"

    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration(tablesMigration) { db in
            for statement in tables { try db.execute(sql: statement) }
        }
        migrator.registerMigration(indexesMigration) { db in
            for statement in indexes { try db.execute(sql: statement) }
        }
        migrator.registerMigration(upgradeMigration) { db in try upgradeV1Store(db) }
        migrator.registerMigration(unresolvedMigration) { db in
            for statement in [unresolvedTable, dealProductsTable] {
                try db.execute(
                    sql: statement.replacingOccurrences(of: "CREATE TABLE", with: "CREATE TABLE IF NOT EXISTS"))
            }
            for statement in indexes where statement.contains(" ON opportunity_products(") {
                try db.execute(sql: statement.replacingOccurrences(of: "INDEX ", with: "INDEX IF NOT EXISTS "))
            }
        }
        migrator.registerMigration(ticketResponseMigration) { db in
            if try !db.columns(in: "tickets").contains(where: { $0.name == "first_response_at" }) {
                try db.execute(sql: "ALTER TABLE tickets ADD COLUMN first_response_at TEXT")
            }
        }
        migrator.registerMigration(modelsMigration) { db in try db.execute(sql: modelsTable) }
        migrator.registerMigration(experimentsMigration) { db in
            for statement in experimentsTables { try db.execute(sql: statement) }
        }
        return migrator
    }

    /// Brings a store created before these columns existed to the layout of
    /// `tables` (a store created now already has it, so this is a no-op there):
    /// deals and their stage history may lack an account (kept and listed by
    /// `fulcrum accounts unmatched` rather than refused), people carry a
    /// website for identity resolution, and an undone merge names who undid it.
    static let upgradeMigration = "v2-unmatched-deals-websites-undone-by"

    static func upgradeV1Store(_ db: Database) throws {
        func columns(_ table: String) throws -> [String: Bool] {  // name → NOT NULL
            Dictionary(uniqueKeysWithValues: try db.columns(in: table).map { ($0.name, $0.isNotNull) })
        }
        if try columns("people")["website"] == nil {
            try db.execute(sql: "ALTER TABLE people ADD COLUMN website TEXT")
        }
        if try columns("account_merges")["undone_by"] == nil {
            try db.execute(sql: "ALTER TABLE account_merges ADD COLUMN undone_by TEXT")
        }
        // SQLite cannot drop a NOT NULL in place: rebuild the table from the current DDL,
        // copy the rows, and recreate its indexes (GRDB runs migrations with foreign keys
        // off and checks them at the end).
        for table in ["opportunities", "opportunity_stages"] where try columns(table)["account_id"] == true {
            guard let ddl = tables.first(where: { $0.hasPrefix("CREATE TABLE \(table) (") }) else { continue }
            let names = try db.columns(in: table).map { "\"\($0.name)\"" }.joined(separator: ", ")
            let indexSQL = try String.fetchAll(
                db, sql: "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
                arguments: [table])
            // New table under a temporary name, then drop and rename: renaming the *old* table
            // would rewrite the other tables' REFERENCES to the temporary name.
            try db.execute(
                sql: ddl.replacingOccurrences(of: "CREATE TABLE \(table) (", with: "CREATE TABLE \(table)_v2 ("))
            try db.execute(sql: "INSERT INTO \(table)_v2 (\(names)) SELECT \(names) FROM \(table)")
            try db.execute(sql: "DROP TABLE \(table)")
            try db.execute(sql: "ALTER TABLE \(table)_v2 RENAME TO \(table)")
            for statement in indexSQL { try db.execute(sql: statement) }
        }
    }

    /// Tickets carry support's first reply (the CS scorecard's first-response time); a store made before gets the column.
    static let ticketResponseMigration = "v4-ticket-first-response"

    /// Trained prediction models, one per kind (churn, conversion, …), as the JSON `fulcrum model report` reads.
    static let modelsMigration = "v5-models"
    static let modelsTable = """
        CREATE TABLE IF NOT EXISTS models (kind TEXT PRIMARY KEY, trained_at TEXT NOT NULL, model TEXT NOT NULL)
        """

    /// Experiments (`fulcrum experiment`): each definition as JSON (a small reference table), and the
    /// assignments, keyed by account first so they can be distributed by account with the facts.
    static let experimentsMigration = "v6-experiments"
    static let experimentsTables = [
        """
        CREATE TABLE IF NOT EXISTS experiments (name TEXT PRIMARY KEY, created_on TEXT NOT NULL, definition TEXT NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS experiment_assignments (account_id INTEGER NOT NULL REFERENCES accounts(id),
          experiment TEXT NOT NULL REFERENCES experiments(name), arm TEXT NOT NULL, stratum TEXT NOT NULL,
          assigned_on TEXT NOT NULL, PRIMARY KEY (account_id, experiment))
        """,
        "CREATE INDEX IF NOT EXISTS experiment_assignments_experiment ON experiment_assignments(experiment, arm)",
    ]

    /// A store made before references could stay unresolved and deals carried their products gets those two
    /// tables and their indexes (a new store has them from `v1-tables` and `v1-indexes`).
    static let unresolvedMigration = "v3-unresolved-references-deal-products"

    /// The products sold on a deal (Salesforce `OpportunityLineItem`): one row per product line.
    static let dealProductsTable = """
        CREATE TABLE opportunity_products (id INTEGER PRIMARY KEY,
          opportunity_id INTEGER NOT NULL REFERENCES opportunities(id), account_id INTEGER REFERENCES accounts(id),
          product TEXT NOT NULL, quantity REAL NOT NULL DEFAULT 1, amount_minor INTEGER NOT NULL,
          currency TEXT NOT NULL DEFAULT 'USD', \(provenance))
        """

    /// Tables only imports fill (the demo generator writes none of their rows).
    static let importOnlyTables: Set<String> = ["opportunity_products"]

    /// References a source export made to records it did not include (an owner whose `User.csv` was not
    /// exported, a parent account outside the export): the row is kept with the reference empty, and its
    /// source id waits here until an import brings the record, which fills the reference in.
    static let unresolvedTable = """
        CREATE TABLE unresolved_references (entity TEXT NOT NULL, record_id INTEGER NOT NULL, column_name TEXT NOT NULL,
          target TEXT NOT NULL, source TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (entity, record_id, column_name))
          WITHOUT ROWID
        """

    /// Tables the importer never reads from files and the canonical export leaves out.
    static let bookkeepingTables: Set<String> = ["meta", "data_sources", "account_merges", "unresolved_references"]

    /// Columns shared by every importable table.
    private static let provenance = "source TEXT NOT NULL DEFAULT 'fulcrum', external_id TEXT"

    static let tables: [String] = [
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """
        CREATE TABLE data_sources (source TEXT PRIMARY KEY, data_through TEXT, imported_at TEXT NOT NULL, rows INTEGER NOT NULL DEFAULT 0)
        """,
        """
        CREATE TABLE teams (id INTEGER PRIMARY KEY, name TEXT NOT NULL,
          function TEXT NOT NULL CHECK (function IN ('marketing','sales','cs')), segment TEXT, \(provenance))
        """,
        """
        CREATE TABLE reps (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT, team_id INTEGER REFERENCES teams(id),
          role TEXT NOT NULL, monthly_quota_minor INTEGER, hired_on TEXT, left_on TEXT, \(provenance))
        """,
        """
        CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT NOT NULL, domain TEXT, segment TEXT, industry TEXT,
          country TEXT, employees INTEGER, owner_rep_id INTEGER REFERENCES reps(id),
          parent_account_id INTEGER REFERENCES accounts(id), merged_into INTEGER REFERENCES accounts(id),
          created_on TEXT NOT NULL, \(provenance))
        """,
        """
        CREATE TABLE campaigns (id INTEGER PRIMARY KEY, name TEXT NOT NULL, channel TEXT NOT NULL, segment TEXT, kind TEXT NOT NULL,
          started_on TEXT NOT NULL, ended_on TEXT, budget_minor INTEGER, currency TEXT NOT NULL DEFAULT 'USD', \(provenance))
        """,
        """
        CREATE TABLE people (id INTEGER PRIMARY KEY, account_id INTEGER REFERENCES accounts(id), email TEXT, first_name TEXT,
          last_name TEXT, title TEXT, company_name TEXT, website TEXT, lead_source TEXT, channel TEXT,
          campaign_id INTEGER REFERENCES campaigns(id), owner_rep_id INTEGER REFERENCES reps(id), created_at TEXT NOT NULL,
          mql_at TEXT, sal_at TEXT, sql_at TEXT, opportunity_at TEXT, customer_at TEXT, status TEXT NOT NULL, \(provenance))
        """,
        """
        CREATE TABLE touches (id INTEGER PRIMARY KEY, account_id INTEGER REFERENCES accounts(id),
          person_id INTEGER REFERENCES people(id), campaign_id INTEGER REFERENCES campaigns(id),
          kind TEXT NOT NULL CHECK (kind IN ('visit','email_open','email_click','form_fill','ad_click','event','content_download','webinar')),
          channel TEXT NOT NULL, occurred_at TEXT NOT NULL, \(provenance))
        """,
        """
        CREATE TABLE spend (id INTEGER PRIMARY KEY, month TEXT NOT NULL,
          team TEXT NOT NULL CHECK (team IN ('marketing','sales','cs')),
          category TEXT NOT NULL CHECK (category IN ('media','wages','tools','services','overhead')),
          channel TEXT, segment TEXT, amount_minor INTEGER NOT NULL, currency TEXT NOT NULL DEFAULT 'USD', \(provenance))
        """,
        """
        CREATE TABLE opportunities (id INTEGER PRIMARY KEY, account_id INTEGER REFERENCES accounts(id),
          person_id INTEGER REFERENCES people(id), type TEXT NOT NULL CHECK (type IN ('new','renewal','upsell')),
          product TEXT NOT NULL, owner_rep_id INTEGER REFERENCES reps(id), lead_source TEXT, channel TEXT,
          amount_minor INTEGER NOT NULL, currency TEXT NOT NULL, created_on TEXT NOT NULL, closed_on TEXT,
          stage TEXT NOT NULL, is_closed INTEGER NOT NULL, is_won INTEGER NOT NULL, \(provenance))
        """,
        """
        CREATE TABLE opportunity_stages (id INTEGER PRIMARY KEY, opportunity_id INTEGER NOT NULL REFERENCES opportunities(id),
          account_id INTEGER REFERENCES accounts(id), stage TEXT NOT NULL, entered_at TEXT NOT NULL, \(provenance))
        """,
        """
        CREATE TABLE activities (id INTEGER PRIMARY KEY, account_id INTEGER REFERENCES accounts(id), rep_id INTEGER REFERENCES reps(id),
          person_id INTEGER REFERENCES people(id), opportunity_id INTEGER REFERENCES opportunities(id),
          kind TEXT NOT NULL CHECK (kind IN ('call','email','meeting','demo')), occurred_at TEXT NOT NULL,
          automated INTEGER NOT NULL DEFAULT 0, \(provenance))
        """,
        """
        CREATE TABLE subscriptions (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts(id),
          opportunity_id INTEGER REFERENCES opportunities(id), plan TEXT NOT NULL, product TEXT NOT NULL,
          interval TEXT NOT NULL CHECK (interval IN ('day','week','month','quarter','year')),
          interval_count INTEGER NOT NULL DEFAULT 1 CHECK (interval_count > 0),
          amount_minor INTEGER NOT NULL, quantity INTEGER NOT NULL DEFAULT 1, currency TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('trialing','active','past_due','paused','unpaid','canceled','ended')),
          started_on TEXT NOT NULL, ended_on TEXT, canceled_on TEXT, cancel_at TEXT, trial_end_on TEXT,
          discount_percent REAL, discount_amount_minor INTEGER,
          discount_duration TEXT CHECK (discount_duration IN ('once','repeating','forever')), discount_months INTEGER,
          discount_start_on TEXT, \(provenance),
          CHECK (ended_on IS NULL OR ended_on >= started_on))
        """,
        """
        CREATE TABLE subscription_changes (id INTEGER PRIMARY KEY, subscription_id INTEGER NOT NULL REFERENCES subscriptions(id),
          account_id INTEGER NOT NULL REFERENCES accounts(id), effective_on TEXT NOT NULL, amount_minor INTEGER NOT NULL,
          quantity INTEGER NOT NULL DEFAULT 1, \(provenance))
        """,
        """
        CREATE TABLE subscription_status_periods (id INTEGER PRIMARY KEY, subscription_id INTEGER NOT NULL REFERENCES subscriptions(id),
          account_id INTEGER NOT NULL REFERENCES accounts(id),
          status TEXT NOT NULL CHECK (status IN ('past_due','paused','unpaid')), from_on TEXT NOT NULL, to_on TEXT, \(provenance))
        """,
        """
        CREATE TABLE fx_rates (month TEXT NOT NULL, currency TEXT NOT NULL, rate REAL NOT NULL CHECK (rate > 0),
          PRIMARY KEY (month, currency)) WITHOUT ROWID
        """,
        """
        CREATE TABLE invoices (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts(id),
          subscription_id INTEGER REFERENCES subscriptions(id), number TEXT NOT NULL, issued_on TEXT NOT NULL, due_on TEXT,
          status TEXT NOT NULL, currency TEXT NOT NULL, total_minor INTEGER NOT NULL, \(provenance))
        """,
        """
        CREATE TABLE invoice_lines (id INTEGER PRIMARY KEY, invoice_id INTEGER NOT NULL REFERENCES invoices(id),
          account_id INTEGER NOT NULL REFERENCES accounts(id), subscription_id INTEGER REFERENCES subscriptions(id),
          description TEXT NOT NULL, period_start TEXT, period_end TEXT, amount_minor INTEGER NOT NULL,
          quantity INTEGER NOT NULL DEFAULT 1, proration INTEGER NOT NULL DEFAULT 0, \(provenance))
        """,
        """
        CREATE TABLE payments (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts(id),
          invoice_id INTEGER REFERENCES invoices(id), paid_at TEXT NOT NULL, amount_minor INTEGER NOT NULL,
          currency TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN ('succeeded','failed','refunded')),
          refunded_minor INTEGER NOT NULL DEFAULT 0, \(provenance))
        """,
        """
        CREATE TABLE targets (id INTEGER PRIMARY KEY, month TEXT NOT NULL,
          scope TEXT NOT NULL CHECK (scope IN ('company','team','rep','segment')), scope_key TEXT NOT NULL,
          metric TEXT NOT NULL, value REAL NOT NULL, \(provenance))
        """,
        """
        CREATE TABLE referrals (id INTEGER PRIMARY KEY, referrer_account_id INTEGER NOT NULL REFERENCES accounts(id),
          account_id INTEGER NOT NULL REFERENCES accounts(id), referred_on TEXT NOT NULL, \(provenance))
        """,
        """
        CREATE TABLE tickets (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts(id),
          person_id INTEGER REFERENCES people(id), opened_at TEXT NOT NULL, closed_at TEXT, first_response_at TEXT,
          priority TEXT NOT NULL CHECK (priority IN ('low','normal','high','urgent')), category TEXT NOT NULL,
          status TEXT NOT NULL, \(provenance))
        """,
        """
        CREATE TABLE usage_daily (account_id INTEGER NOT NULL REFERENCES accounts(id), day TEXT NOT NULL,
          active_users INTEGER NOT NULL CHECK (active_users >= 0), events INTEGER NOT NULL CHECK (events >= 0),
          PRIMARY KEY (account_id, day)) WITHOUT ROWID
        """,
        """
        CREATE TABLE survey_responses (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts(id),
          person_id INTEGER REFERENCES people(id), kind TEXT NOT NULL CHECK (kind IN ('nps','csat')),
          score INTEGER NOT NULL, responded_on TEXT NOT NULL, \(provenance),
          CHECK ((kind = 'nps' AND score BETWEEN 0 AND 10) OR (kind = 'csat' AND score BETWEEN 1 AND 5)))
        """,
        """
        CREATE TABLE custom_fields (entity TEXT NOT NULL, record_id INTEGER NOT NULL, account_id INTEGER REFERENCES accounts(id),
          name TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (entity, record_id, name)) WITHOUT ROWID
        """,
        """
        CREATE TABLE account_merges (id INTEGER PRIMARY KEY, winner_id INTEGER NOT NULL REFERENCES accounts(id),
          loser_id INTEGER NOT NULL REFERENCES accounts(id), merged_at TEXT NOT NULL, actor TEXT NOT NULL,
          reason TEXT NOT NULL, evidence TEXT, undone_at TEXT, undone_by TEXT)
        """,
        unresolvedTable,
        dealProductsTable,
    ]

    /// Tables that carry `source` and `external_id`.
    static let importable = [
        "teams", "reps", "accounts", "campaigns", "people", "touches", "spend", "opportunities", "opportunity_stages",
        "opportunity_products", "activities", "subscriptions", "subscription_changes", "subscription_status_periods",
        "invoices",
        "invoice_lines",
        "payments", "targets", "referrals", "tickets", "survey_responses",
    ]

    /// Indexes the reports need, plus the (source, external_id) keys of idempotent imports.
    static let indexes: [String] =
        importable.map {
            "CREATE UNIQUE INDEX \($0)_external ON \($0)(source, external_id) WHERE external_id IS NOT NULL"
        } + [
            "CREATE INDEX accounts_domain ON accounts(domain)",
            "CREATE INDEX accounts_merged_into ON accounts(merged_into) WHERE merged_into IS NOT NULL",
            "CREATE INDEX accounts_parent ON accounts(parent_account_id) WHERE parent_account_id IS NOT NULL",
            "CREATE INDEX people_account ON people(account_id)",
            "CREATE INDEX people_email ON people(email)",
            "CREATE INDEX people_created ON people(created_at)",
            "CREATE INDEX touches_account ON touches(account_id)",
            "CREATE INDEX touches_person ON touches(person_id)",
            "CREATE INDEX touches_occurred ON touches(occurred_at)",
            "CREATE INDEX opportunities_account ON opportunities(account_id)",
            "CREATE INDEX opportunities_owner ON opportunities(owner_rep_id, created_on)",
            "CREATE INDEX opportunities_closed ON opportunities(closed_on)",
            "CREATE INDEX opportunity_stages_opportunity ON opportunity_stages(opportunity_id, entered_at)",
            "CREATE INDEX opportunity_products_opportunity ON opportunity_products(opportunity_id)",
            "CREATE INDEX activities_account ON activities(account_id)",
            "CREATE INDEX activities_rep ON activities(rep_id, occurred_at)",
            "CREATE INDEX subscriptions_account ON subscriptions(account_id)",
            "CREATE INDEX subscription_changes_subscription ON subscription_changes(subscription_id, effective_on)",
            "CREATE INDEX subscription_status_periods_subscription ON subscription_status_periods(subscription_id)",
            "CREATE INDEX invoices_account ON invoices(account_id, issued_on)",
            "CREATE INDEX invoice_lines_invoice ON invoice_lines(invoice_id)",
            "CREATE INDEX payments_account ON payments(account_id, paid_at)",
            "CREATE INDEX spend_month ON spend(month, team, category)",
            "CREATE INDEX targets_month ON targets(month, scope, metric)",
            "CREATE INDEX referrals_account ON referrals(account_id)",
            "CREATE INDEX tickets_account ON tickets(account_id, opened_at)",
            "CREATE INDEX survey_responses_account ON survey_responses(account_id, responded_on)",
            "CREATE INDEX custom_fields_account ON custom_fields(account_id)",
            "CREATE INDEX account_merges_loser ON account_merges(loser_id)",
        ]

    /// Every table, in an order that respects foreign keys.
    static let tableNames = [
        "meta", "data_sources", "teams", "reps", "accounts", "campaigns", "people", "touches", "spend", "opportunities",
        "opportunity_stages", "opportunity_products", "activities", "subscriptions", "subscription_changes",
        "subscription_status_periods",
        "fx_rates", "invoices", "invoice_lines", "payments", "targets", "referrals", "tickets", "usage_daily",
        "survey_responses", "custom_fields", "account_merges", "unresolved_references",
    ]
}
