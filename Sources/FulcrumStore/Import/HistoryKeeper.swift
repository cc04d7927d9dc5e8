import FulcrumCore
import GRDB

/// Keeps history that a current-state export overwrites.
///
/// A Stripe subscriptions export holds today's price; a CRM opportunities
/// export holds today's stage. When a newer export of such a source changes a
/// subscription's price or seats, the subscription row keeps its starting price
/// and a `subscription_changes` row records the new one from the export's day;
/// when it changes an opportunity's stage, an `opportunity_stages` row records
/// the new stage. Canonical imports carry their own history tables and are left
/// alone.
struct HistoryKeeper {
    let source: String
    /// The day a changed value takes effect: the export's data-through day, else the import day.
    let day: Day

    /// Adjusts `values` before the upsert and records history. Returns true when a history row was written.
    /// The tables whose rows get history rows when they change.
    static let tables: Set<String> = ["subscriptions", "opportunities"]

    func apply(table: String, key: String, names: [String], values: inout [DatabaseValue], _ db: Database) throws
        -> Bool
    {
        switch table {
        case "subscriptions": return try subscription(key: key, names: names, values: &values, db)
        case "opportunities": return try opportunity(key: key, names: names, values: values, db)
        default: return false
        }
    }

    private func subscription(key: String, names: [String], values: inout [DatabaseValue], _ db: Database) throws
        -> Bool
    {
        guard let amountIndex = names.firstIndex(of: "amount_minor"),
            let row = try Row.fetchOne(
                db,
                sql:
                    "SELECT id, account_id, amount_minor, quantity FROM subscriptions WHERE source = ? AND external_id = ?",
                arguments: [source, key])
        else { return false }
        let id: Int64 = row[0]
        let quantityIndex = names.firstIndex(of: "quantity")
        let latest = try Row.fetchOne(
            db,
            sql: """
                SELECT amount_minor, quantity FROM subscription_changes WHERE subscription_id = ? ORDER BY effective_on DESC, id DESC LIMIT 1
                """, arguments: [id])
        let currentAmount: Int64 = latest?[0] ?? row[2]
        let currentQuantity: Int64 = latest?[1] ?? row[3]
        let newAmount = Int64.fromDatabaseValue(values[amountIndex]) ?? currentAmount
        let newQuantity = quantityIndex.flatMap { Int64.fromDatabaseValue(values[$0]) } ?? currentQuantity
        // The subscription row keeps its starting price and seats.
        values[amountIndex] = row[2]
        if let quantityIndex { values[quantityIndex] = row[3] }
        guard newAmount != currentAmount || newQuantity != currentQuantity else { return false }
        try db.execute(
            sql: """
                INSERT INTO subscription_changes(subscription_id, account_id, effective_on, amount_minor, quantity, source, external_id)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(source, external_id) WHERE external_id IS NOT NULL DO UPDATE SET amount_minor = excluded.amount_minor, quantity = excluded.quantity
                """, arguments: [id, row[1] as Int64, day.iso, newAmount, newQuantity, source, "\(key)@\(day.iso)"])
        return true
    }

    private func opportunity(key: String, names: [String], values: [DatabaseValue], _ db: Database) throws -> Bool {
        guard let stageIndex = names.firstIndex(of: "stage"), case .string(let stage) = values[stageIndex].storage,
            let row = try Row.fetchOne(
                db, sql: "SELECT id, account_id, stage FROM opportunities WHERE source = ? AND external_id = ?",
                arguments: [source, key]),
            (row[2] as String) != stage
        else { return false }
        try db.execute(
            sql: """
                INSERT INTO opportunity_stages(opportunity_id, account_id, stage, entered_at, source, external_id) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(source, external_id) WHERE external_id IS NOT NULL DO NOTHING
                """,
            arguments: [
                row[0] as Int64, row[1] as Int64, stage, Timestamp(day: day).iso, source, "\(key)@\(stage)@\(day.iso)",
            ])
        return true
    }
}
