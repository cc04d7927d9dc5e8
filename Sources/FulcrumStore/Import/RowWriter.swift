import Foundation
import FulcrumCore
import FulcrumImport
import GRDB

/// Writes typed source rows into the store inside the import's transaction.
///
/// Rows are upserted by their key: `(source, external_id)` for the importable
/// tables, the primary key for `fx_rates`, `usage_daily` and `custom_fields`.
/// A row whose values are all equal to what is stored is left alone, so a
/// re-import of the same files changes nothing. References in a file name the
/// referenced row by its key in the same source (`people.account_id = "A-17"`
/// means the account imported from this source with id `A-17`) and are
/// translated to store ids through per-table key maps.
final class RowWriter {
    enum Outcome {
        case written(changed: Bool)
        case rejected
    }

    let source: String
    let specs: [String: TableSpec]
    /// Set for current-state exports (Salesforce, HubSpot, Stripe): price and stage changes become history rows.
    var history: HistoryKeeper?
    var converter: ValueConverter
    /// Tables some column references: their key → id maps are kept in memory.
    let referencedTables: Set<String>
    var keyMaps: [String: [String: Int64]] = [:]
    /// Keys present later in the current file, for references to rows not yet written (accounts → parent accounts).
    var pendingKeys: Set<String> = []
    /// Self-references to fix once the file is written: (table, row id, column, key, problem position).
    private var deferred: [(table: String, id: Int64, column: String, key: String, cell: SourceCell, row: SourceRow)] =
        []
    /// Latest event date seen, for the source's "data through".
    var latestEvent: Day?
    static let eventColumns: Set<String> = [
        "occurred_at", "created_at", "entered_at", "created_on", "issued_on", "paid_at", "opened_at", "day",
        "responded_on", "referred_on", "effective_on",
        // Happened by the time of the export (unlike an end or a trial end, which may be scheduled): a deal's
        // close day is only given once it is closed (won or lost), a ticket's once it is closed.
        "started_on", "canceled_on", "closed_on", "closed_at", "first_response_at",
    ]

    init(db: Database, source: String, specs: [String: TableSpec], dates: DateParseOptions) {
        self.source = source
        self.specs = specs
        converter = ValueConverter(dates: dates)
        fileWrites.register(db)
        var referenced = Set<String>()
        for spec in specs.values {
            for column in spec.columns { if case .reference(let t) = column.kind { referenced.insert(t) } }
        }
        referencedTables = referenced
    }

    /// Which export usually holds a referenced table's rows, for the hint of a dangling reference.
    static let sourceFileHint: [String: String] = [
        "reps": "Salesforce User.csv or reps.csv",
        "accounts": "Salesforce Account.csv, HubSpot companies, Stripe customers or accounts.csv",
        "people": "Salesforce Contact.csv/Lead.csv, HubSpot contacts or people.csv",
        "campaigns": "Salesforce Campaign.csv or campaigns.csv",
        "opportunities": "Salesforce Opportunity.csv, HubSpot deals or opportunities.csv",
        "subscriptions": "Stripe subscriptions or subscriptions.csv",
        "invoices": "Stripe invoices or invoices.csv", "teams": "teams.csv",
    ]

    /// Tables no file of this import writes. A source export's reference to one of their records that the
    /// store does not hold (an owner whose `User.csv` was not exported) keeps its row: the reference stays
    /// empty and its source id is kept in `unresolved_references` until the record arrives.
    var softTargets: Set<String> = []
    /// Self-references to records outside the file (a parent account outside the export) are kept the same way.
    var softSelfReferences = false

    /// Keys the current file has written (a second row with one of them is refused).
    let fileWrites = FileWrites()

    /// Starts a file of `table`: from here on a second row with a key the file wrote is a problem.
    func beginFile(table: String, _ db: Database) throws {
        if specs[table]?.keyedByExternalId == true { try fileWrites.begin(table: table, db) }
    }

    static func duplicateProblem(_ row: SourceRow, key: String) -> ImportProblem {
        ImportProblem(
            file: row.file, line: row.line, column: 1,
            reason: "id '\(key)': an earlier row of this file has the same id; a file holds each record once",
            original: row.original, recordText: row.recordText)
    }

    // MARK: Cell layout

    /// What each cell of a row is, worked out once per file layout: rows of one file carry the same
    /// column names (the reader's own strings, so the comparison below is cheap).
    enum CellRole {
        case key(primary: Bool)
        case aliases
        case custom(String)
        case unknown
        case column(TableSpec.Column, isEvent: Bool, isCurrency: Bool)
    }
    private var layoutCache: (table: String, columns: [String], roles: [CellRole])?
    private var lastSpec: TableSpec?
    private var lastIsReferenced = false

    private func layout(_ row: SourceRow, _ spec: TableSpec) -> [CellRole] {
        if let cached = layoutCache, cached.table == row.table, cached.columns.count == row.cells.count,
            zip(cached.columns, row.cells).allSatisfy({ $0 == $1.column })
        {
            return cached.roles
        }
        let roles: [CellRole] = row.cells.map { cell in
            if cell.column == "id" || cell.column == "external_id" { return .key(primary: cell.column == "id") }
            if cell.column == MappedCSVFile.aliasesColumn { return .aliases }
            if cell.column.hasPrefix(CanonicalColumns.customPrefix) {
                return .custom(String(cell.column.dropFirst(CanonicalColumns.customPrefix.count)))
            }
            guard let column = spec.column(cell.column) else { return .unknown }
            return .column(column, isEvent: Self.eventColumns.contains(column.name), isCurrency: column.isCurrency)
        }
        layoutCache = (row.table, row.cells.map(\.column), roles)
        return roles
    }

    // MARK: Keys

    func keyMap(_ table: String, _ db: Database) throws -> [String: Int64] {
        if let map = keyMaps[table] { return map }
        var map: [String: Int64] = [:]
        let cursor = try Row.fetchCursor(
            db, sql: "SELECT external_id, id FROM \(table) WHERE source = ? AND external_id IS NOT NULL",
            arguments: [source])
        while let row = try cursor.next() { map[row[0]] = row[1] }
        // Ids merged into a record in the source (HubSpot's hs_merged_object_ids) resolve to the survivor.
        let aliasRows = try Row.fetchAll(
            db,
            sql: """
                SELECT c.record_id, c.value FROM custom_fields c JOIN \(table) t ON t.id = c.record_id
                WHERE c.entity = ? AND c.name = ? AND t.source = ?
                """, arguments: [table, Self.aliasesField, source])
        for row in aliasRows {
            let id: Int64 = row[0]
            for alias in (row[1] as String).split(separator: ";") where map[String(alias)] == nil {
                map[String(alias)] = id
            }
        }
        keyMaps[table] = map
        return map
    }

    private func lookup(_ table: String, key: String, _ db: Database) throws -> Int64? {
        if keyMaps[table] == nil { _ = try keyMap(table, db) }
        return keyMaps[table]![key]
    }

    // MARK: Rows

    /// Converts and upserts one row; problems are appended to `problems`.
    func write(_ row: SourceRow, _ db: Database, problems: inout [ImportProblem]) throws -> Outcome {
        let spec: TableSpec
        if let last = lastSpec, last.table == row.table {
            spec = last
        } else if let found = specs[row.table] {
            spec = found
            lastSpec = found
            lastIsReferenced = referencedTables.contains(found.table)
        } else {
            problems.append(
                ImportProblem(
                    file: row.file, line: row.line, column: 1, reason: "unknown table '\(row.table)'",
                    original: row.original, recordText: row.recordText))
            return .rejected
        }
        let isReferenced = lastIsReferenced
        let before = problems.count
        var key: String?
        var names: [String] = []
        var values: [DatabaseValue] = []
        var custom: [(String, String)] = []
        var selfRefs: [(column: String, key: String, cell: SourceCell)] = []
        var unresolved: [(column: String, target: String, key: String)] = []
        var toCreate: [(index: Int, target: String, name: String)] = []
        var rowLatest: Day?
        var entity: String?
        var aliases: [String] = []
        if spec.table == "custom_fields" { entity = row.cell("entity")?.text }

        let roles = layout(row, spec)
        names.reserveCapacity(row.cells.count + 1)
        values.reserveCapacity(row.cells.count + 3)
        for (cell, role) in zip(row.cells, roles) {
            let column: TableSpec.Column
            let isEvent: Bool
            let isCurrency: Bool
            switch role {
            case .key(let primary):
                let text = ValueConverter.unguarded(cell.text).trimmingSpaces
                if !text.isEmpty, key == nil || primary { key = text }
                continue
            case .aliases:
                aliases = cell.text.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
                    !$0.isEmpty
                }
                continue
            case .custom(let name):
                if !cell.text.isEmpty { custom.append((name, cell.text)) }
                continue
            case .unknown:
                problems.append(problem(row, cell, "unknown column '\(cell.column)' for table '\(spec.table)'"))
                continue
            case .column(let c, let event, let currency):
                column = c
                isEvent = event
                isCurrency = currency
            }
            var kind = column.kind
            if spec.table == "custom_fields", column.name == "record_id" {
                guard let entity, let target = specs[entity], target.keyedByExternalId else {
                    problems.append(
                        problem(row, cell, "record_id: entity '\(entity ?? "")' is not an importable table"))
                    continue
                }
                kind = .reference(target.table)
            }
            let currency = cell.hint.isMajorUnits ? row.cell("currency")?.text : nil
            switch converter.convert(
                cell.text, kind: kind, column: column, hint: cell.hint, currency: currency, isCurrency: isCurrency)
            {
            case .failure(let e):
                problems.append(problem(row, cell, "\(column.name): \(e.message)"))
            case .success(let value):
                if value.isNull, column.required {
                    problems.append(problem(row, cell, "\(column.name): required, but empty"))
                    continue
                }
                if let minimum = column.minimum, case .int64(let n) = value.storage, n < minimum {
                    problems.append(
                        problem(row, cell, "\(column.name): \(n) is below the smallest allowed value, \(minimum)"))
                    continue
                }
                var bound = value
                if case .reference(let target) = kind, case .string(let refKey) = value.storage {
                    if cell.hint == .byName {
                        if let id = try namedRecord(target, refKey, db) {
                            bound = id.databaseValue
                        } else {
                            toCreate.append((values.count, target, refKey))
                            bound = .null
                        }
                    } else if let id = try lookup(target, key: refKey, db) {
                        bound = id.databaseValue
                    } else if target == spec.table, pendingKeys.contains(refKey) {
                        selfRefs.append((column.name, refKey, cell))
                        bound = .null
                    } else if !column.required,
                        softTargets.contains(target) || (softSelfReferences && target == spec.table)
                    {
                        unresolved.append((column.name, target, refKey))
                        bound = .null
                    } else {
                        problems.append(
                            problem(
                                row, cell,
                                "\(column.name): no \(target) row with id '\(refKey)' from source '\(source)'"
                                    + " (import the file holding \(target) in the same run or before\(Self.sourceFileHint[target].map { ", e.g. " + $0 } ?? ""))"
                            ))
                        continue
                    }
                }
                if isEvent, case .string(let s) = bound.storage, let day = Day(iso: s.prefix(10)) {
                    if rowLatest.map({ day > $0 }) ?? true { rowLatest = day }
                }
                names.append(column.name)
                values.append(bound)
            }
        }
        // A row without its account takes the account of a row it references.
        if let accountColumn = spec.column("account_id"), !names.contains("account_id"), problems.count == before {
            if let derived = try deriveAccount(spec, names, values, db) {
                names.append("account_id")
                values.append(derived)
            } else if accountColumn.required {
                problems.append(
                    ImportProblem(
                        file: row.file, line: row.line, column: 1,
                        reason: "account_id: required, but neither given nor derivable from a referenced row",
                        original: row.original, recordText: row.recordText))
            }
        }
        // A required column the row gives no value for is blamed on the source cell it is mapped from (an
        // empty `Amount`), with every other problem of the row, rather than left to the store's NOT NULL.
        for column in spec.columns where column.required && column.name != "account_id" && !names.contains(column.name)
        {
            if problems[before...].contains(where: { $0.reason.hasPrefix(column.name + ":") }) { continue }
            if let empty = row.emptySources.first(where: { $0.target == column.name }) {
                problems.append(
                    ImportProblem(
                        file: row.file, line: empty.line, column: empty.column,
                        reason: "\(column.name): required, but \(empty.source) is empty", original: row.original,
                        recordText: row.recordText))
            } else {
                problems.append(
                    ImportProblem(
                        file: row.file, line: row.line, column: 1,
                        reason: "\(column.name): required, but the row gives no value for it", original: row.original,
                        recordText: row.recordText))
            }
        }
        if spec.keyedByExternalId, key == nil {
            problems.append(
                ImportProblem(
                    file: row.file, line: row.line, column: 1,
                    reason: "id: required, but empty (every row needs its id in the source)",
                    original: row.original, recordText: row.recordText))
        }
        guard problems.count == before else {
            for i in before..<problems.count {
                problems[i].original = row.original
                problems[i].recordText = row.recordText
            }
            return .rejected
        }

        // Records named by a `by_name` reference and not found are created, dated by the row's own first date,
        // inside a savepoint: if the row is still refused (a repeated id), they are taken back with it.
        var created: [(table: String, name: String)] = []
        if !toCreate.isEmpty {
            try db.execute(sql: "SAVEPOINT by_name")
            let day = zip(names, values).lazy.compactMap { name, value -> String? in
                guard Self.eventColumns.contains(name), case .string(let s) = value.storage else { return nil }
                return String(s.prefix(10))
            }.min()
            for item in toCreate {
                values[item.index] = try createNamed(item.target, item.name, day: day, db).databaseValue
                created.append((item.target, item.name))
            }
        }
        func refuse(_ problem: ImportProblem) throws -> Outcome {
            problems.append(problem)
            if !created.isEmpty {
                try db.execute(sql: "ROLLBACK TO by_name; RELEASE by_name")
                for (table, name) in created {
                    if let id = nameMaps[table]?.removeValue(forKey: name), keyMaps[table]?["name:" + name] == id {
                        keyMaps[table]?.removeValue(forKey: "name:" + name)
                    }
                    createdByName[table, default: 1] -= 1
                    if createdByName[table] == 0 { createdByName.removeValue(forKey: table) }
                }
            }
            return .rejected
        }

        var wroteHistory = false
        if let history, spec.keyedByExternalId {
            // Checked before history is written for it: a repeated row must leave no trace.
            // Only the tables history is kept for; the exact key (an alias in the key map could name another row).
            if HistoryKeeper.tables.contains(spec.table),
                let existing = try Int64.fetchOne(
                    db, sql: "SELECT id FROM \(spec.table) WHERE source = ? AND external_id = ?",
                    arguments: [source, key!]), fileWrites.written(existing)
            {
                return try refuse(Self.duplicateProblem(row, key: key!))
            }
            wroteHistory = try history.apply(table: spec.table, key: key!, names: names, values: &values, db)
        }
        let statement = try upsertStatement(spec, names, db)
        if spec.keyedByExternalId {
            values.append(source.databaseValue)
            values.append(key!.databaseValue)
        }
        do {
            try FastBinder.run(statement, values, db)
        } catch let error as DatabaseError {
            _ = fileWrites.takeDuplicate()
            return try refuse(
                ImportProblem(
                    file: row.file, line: row.line, column: 1,
                    reason: "rejected by the store: \(error.message ?? "\(error.resultCode)")", original: row.original,
                    recordText: row.recordText))
        }
        if fileWrites.takeDuplicate() {
            return try refuse(Self.duplicateProblem(row, key: key ?? ""))
        }
        if !created.isEmpty { try db.execute(sql: "RELEASE by_name") }
        if let rowLatest, latestEvent.map({ rowLatest > $0 }) ?? true { latestEvent = rowLatest }
        let changed = db.changesCount > 0 || wroteHistory
        var id: Int64?
        if !aliases.isEmpty { custom.append((Self.aliasesField, aliases.joined(separator: ";"))) }
        // A reference the row now gives (or gives as empty) replaces one an earlier export left unresolved.
        let givenReferences = try mayHoldUnresolved(db) ? referenceColumns(spec, names, row) : []
        if spec.keyedByExternalId,
            isReferenced || !custom.isEmpty || !selfRefs.isEmpty || !unresolved.isEmpty || !givenReferences.isEmpty
        {
            if let existing = try lookup(spec.table, key: key!, db) {
                id = existing
            } else if isReferenced {
                id = db.lastInsertedRowID
                keyMaps[spec.table]![key!] = id
            } else {
                id = try Int64.fetchOne(
                    db, sql: "SELECT id FROM \(spec.table) WHERE source = ? AND external_id = ?",
                    arguments: [source, key!])
            }
        }
        if let id {
            for alias in aliases where isReferenced && keyMaps[spec.table]?[alias] == nil {
                keyMaps[spec.table]![alias] = id
            }
            for ref in selfRefs { deferred.append((spec.table, id, ref.column, ref.key, ref.cell, row)) }
            for column in givenReferences where !unresolved.contains(where: { $0.column == column }) {
                try db.execute(
                    sql: "DELETE FROM unresolved_references WHERE entity = ? AND record_id = ? AND column_name = ?",
                    arguments: [spec.table, id, column])
            }
            if !unresolved.isEmpty { unresolvedExist = true }
            for ref in unresolved {
                try db.execute(
                    sql: """
                        INSERT INTO unresolved_references(entity, record_id, column_name, target, source, key)
                        VALUES (?, ?, ?, ?, ?, ?)
                        ON CONFLICT(entity, record_id, column_name) DO UPDATE SET target = excluded.target,
                          source = excluded.source, key = excluded.key
                        """, arguments: [spec.table, id, ref.column, ref.target, source, ref.key])
            }
            let accountId: DatabaseValue =
                spec.table == "accounts"
                ? id.databaseValue
                : names.firstIndex(of: "account_id").map { values[$0] } ?? .null
            for (name, value) in custom {
                try db.execute(
                    sql: """
                        INSERT INTO custom_fields(entity, record_id, account_id, name, value) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT(entity, record_id, name) DO UPDATE SET value = excluded.value, account_id = excluded.account_id
                        WHERE value IS NOT excluded.value OR account_id IS NOT excluded.account_id
                        """, arguments: [spec.table, id, accountId, name, value])
            }
        }
        return .written(changed: changed)
    }

    // MARK: Unresolved references

    /// Whether `unresolved_references` holds anything (read once, then kept up to date by this writer).
    private var unresolvedExist: Bool?

    private func mayHoldUnresolved(_ db: Database) throws -> Bool {
        if let unresolvedExist { return unresolvedExist }
        let exists = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM unresolved_references)") ?? false
        unresolvedExist = exists
        return exists
    }

    /// The reference columns a row gives a value for, or names as empty in its source.
    private func referenceColumns(_ spec: TableSpec, _ names: [String], _ row: SourceRow) -> [String] {
        spec.columns.filter { column in
            guard case .reference = column.kind else { return false }
            return names.contains(column.name) || row.emptySources.contains { $0.target == column.name }
        }.map(\.name)
    }

    // MARK: References by name

    /// Table → record name → id, for `by_name` references: this source's record first, else the oldest.
    private var nameMaps: [String: [String: Int64]] = [:]

    private func namedRecord(_ table: String, _ name: String, _ db: Database) throws -> Int64? {
        if nameMaps[table] == nil {
            var map: [String: Int64] = [:]
            // Later rows win: other sources' newest first, then this source's, oldest last.
            let cursor = try Row.fetchCursor(
                db, sql: "SELECT name, id FROM \(table) ORDER BY (source = ?), id DESC", arguments: [source])
            while let row = try cursor.next() { map[row[0]] = row[1] }
            nameMaps[table] = map
        }
        return nameMaps[table]![name]
    }

    /// A new record of `table` named `name`, keyed `name:<name>` in this source (a re-import finds it by its
    /// name); its required columns are filled as a bare record needs: the day from the referencing row (else
    /// the import's day), `role` rep, other listed values their first.
    private func createNamed(_ table: String, _ name: String, day: String?, _ db: Database) throws -> Int64 {
        guard let spec = specs[table] else { throw RollBackError.unknownTable(table) }
        let date = day ?? Day(ordinal: Int((Date().timeIntervalSince1970 / 86_400).rounded(.down))).iso
        var columns: [String] = ["source", "external_id"]
        var values: [DatabaseValue] = [source.databaseValue, ("name:" + name).databaseValue]
        for column in spec.columns where column.required {
            columns.append(column.name)
            switch (column.name, column.kind) {
            case ("name", _): values.append(name.databaseValue)
            case ("role", _): values.append("rep".databaseValue)
            case (_, .day): values.append(date.databaseValue)
            case (_, .instant): values.append((date + "T00:00:00Z").databaseValue)
            case (_, .month): values.append(String(date.prefix(7)).databaseValue)
            default: values.append((column.allowed?.first ?? "unknown").databaseValue)
            }
        }
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        try db.execute(
            sql: "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(placeholders))",
            arguments: StatementArguments(values))
        let id = db.lastInsertedRowID
        nameMaps[table]![name] = id
        if keyMaps[table] != nil { keyMaps[table]!["name:" + name] = id }
        createdByName[table, default: 0] += 1
        return id
    }

    /// Records created for `by_name` references, per table (for the import summary).
    private(set) var createdByName: [String: Int] = [:]

    enum RollBackError: Error { case unknownTable(String) }

    /// Resolves references to rows that came later in the same file. Returns the problems of references that stayed unresolved.
    func finishFile(_ db: Database) throws -> [ImportProblem] {
        var problems: [ImportProblem] = []
        for item in deferred {
            if let target = try lookup(item.table, key: item.key, db) {
                try db.execute(
                    sql: "UPDATE \(item.table) SET \(item.column) = ? WHERE id = ?", arguments: [target, item.id])
            } else {
                problems.append(
                    problem(
                        item.row, item.cell,
                        "\(item.column): \(item.table) row '\(item.key)' was rejected, so this reference stays empty"))
            }
        }
        deferred.removeAll()
        pendingKeys.removeAll()
        return problems
    }

    /// Custom field holding the ids merged into a record in its source.
    static let aliasesField = "merged_object_ids"

    /// A row without `account_id` takes the account of a row it references (a stage change its opportunity's,
    /// a touch its person's), so every fact stays tied to an account.
    private func deriveAccount(_ spec: TableSpec, _ names: [String], _ values: [DatabaseValue], _ db: Database) throws
        -> DatabaseValue?
    {
        for (name, value) in zip(names, values) where !value.isNull {
            guard case .reference(let target)? = spec.column(name)?.kind, target != "accounts",
                specs[target]?.column("account_id") != nil
            else { continue }
            let statement = try db.cachedStatement(sql: "SELECT account_id FROM \(target) WHERE id = ?")
            if let account = try DatabaseValue.fetchOne(statement, arguments: [value]), !account.isNull {
                return account
            }
        }
        return nil
    }

    private func problem(_ row: SourceRow, _ cell: SourceCell, _ reason: String) -> ImportProblem {
        ImportProblem(
            file: row.file, line: cell.line, column: cell.columnNumber, reason: reason, original: row.original,
            recordText: row.recordText)
    }

    // MARK: SQL

    private var statements: [String: Statement] = [:]
    private var lastStatement: (table: String, names: [String], statement: Statement)?

    /// `INSERT … ON CONFLICT (key) DO UPDATE SET … WHERE <something differs>`: unchanged rows are not touched.
    func upsertStatement(_ spec: TableSpec, _ names: [String], _ db: Database) throws -> Statement {
        // Rows of one file have the same columns: reuse the last statement without building a key.
        if let last = lastStatement, last.table == spec.table, last.names == names { return last.statement }
        let signature = spec.table + ":" + names.joined(separator: ",")
        if let s = statements[signature] {
            lastStatement = (spec.table, names, s)
            return s
        }
        var columns = names
        var conflict: String
        if spec.keyedByExternalId {
            columns += ["source", "external_id"]
            conflict = "(source, external_id) WHERE external_id IS NOT NULL"
        } else {
            conflict = "(" + spec.primaryKey.joined(separator: ", ") + ")"
        }
        let updatable = names.filter { !spec.primaryKey.contains($0) }
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        var sql =
            "INSERT INTO \(spec.table)(\(columns.joined(separator: ", "))) VALUES (\(placeholders)) ON CONFLICT \(conflict) "
        if updatable.isEmpty {
            sql += "DO NOTHING"
        } else {
            // An account that identity resolution (or an earlier export) gave a row is kept when the source leaves it empty.
            let keepsAccount = spec.column("account_id").map { !$0.required } ?? false
            // A merge a person undid (`accounts unmerge`, on record in account_merges) is not redone by a
            // re-import of the export that merged the records.
            let mergedInto = """
                CASE WHEN EXISTS (SELECT 1 FROM account_merges m WHERE m.loser_id = accounts.id AND m.winner_id = excluded.merged_into \
                AND m.undone_at IS NOT NULL) THEN accounts.merged_into ELSE excluded.merged_into END
                """
            let keepsUndoneMerge = spec.table == "accounts"
            sql +=
                "DO UPDATE SET "
                + updatable.map {
                    $0 == "account_id" && keepsAccount
                        ? "account_id = coalesce(excluded.account_id, \(spec.table).account_id)"
                        : $0 == "merged_into" && keepsUndoneMerge
                            ? "merged_into = \(mergedInto)" : "\($0) = excluded.\($0)"
                }.joined(separator: ", ")
            // First: refuse a second row of this file with the key (FileWrites), changed or not.
            sql +=
                " WHERE " + (spec.keyedByExternalId ? "\(FileWrites.functionName)(\(spec.table).rowid) AND (" : "(")
                + updatable.map {
                    $0 == "account_id" && keepsAccount
                        ? "(excluded.account_id IS NOT NULL AND account_id IS NOT excluded.account_id)"
                        : $0 == "merged_into" && keepsUndoneMerge
                            ? "merged_into IS NOT (\(mergedInto))" : "\($0) IS NOT excluded.\($0)"
                }.joined(separator: " OR ") + ")"
        }
        let statement = try db.makeStatement(sql: sql)
        statements[signature] = statement
        lastStatement = (spec.table, names, statement)
        return statement
    }
}
