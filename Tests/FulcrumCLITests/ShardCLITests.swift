import Foundation
import Testing

/// The two more PostgreSQL servers scripts/test starts for the sharding test.
let shardServers = (ProcessInfo.processInfo.environment["FULCRUM_TEST_POSTGRES_SHARDS"] ?? "").split(separator: ",")
    .map(String.init)

/// Scale-out on three PostgreSQL servers: the small demo company sharded from one server across the other
/// two (`fulcrum store shard`) gives every report byte for byte as the SQLite store does, per-account roll-ups
/// run on the shards, and imports keep working on the sharded store.
@Suite(
    "fulcrum store shard across PostgreSQL servers",
    .enabled(if: Backend.server != nil && shardServers.count >= 2))
struct ShardCLITests {

    /// A new database on `server`, its address.
    static func database(on server: String) throws -> String {
        let name = "fulcrum_shard_\(UInt32.random(in: 0...UInt32.max))"
        let created = try Backend.psql(server, "CREATE DATABASE \(name)")
        #expect(created.status == 0, "\(created.stderr)")
        return server.replacingOccurrences(of: #"/[^/]*$"#, with: "/\(name)", options: .regularExpression)
    }

    @Test("two shards: every report matches the single store, roll-ups run on the shards, imports still land")
    func shardedDemo() throws {
        let coordinator = try Backend.createDatabase()
        let shards = try shardServers.prefix(2).map { try Self.database(on: $0) }
        #expect(try CLI.run(["store", "copy", "--from", sharedDemoStore, "--to", coordinator]).status == 0)
        let shard = try CLI.run(["store", "shard", "--store", coordinator, "--shard", shards[0], "--shard", shards[1]])
        #expect(shard.status == 0, "\(shard.stderr)")

        // The accounts are split between the shards, none lost, none on both.
        let total = try Backend.psql(sharedPostgresDemoStore, "SELECT count(*) FROM usage_daily").stdout
        let perShard = try shards.map {
            Int(try Backend.psql($0, "SELECT count(*) FROM usage_daily").stdout.dropLast())!
        }
        #expect(
            perShard.allSatisfy { $0 > 0 } && perShard.reduce(0, +) == Int(total.dropLast()), "\(perShard) \(total)")
        let ids = try shards.map { try Backend.psql($0, "SELECT id FROM accounts").stdout.split(separator: "\n") }
        #expect(Set(ids[0]).isDisjoint(with: ids[1]) && ids[0].count + ids[1].count > 900)

        // Per-account roll-ups are aggregated on the shards, read side by side.
        let plan = try Backend.psql(
            coordinator,
            "EXPLAIN (VERBOSE, COSTS OFF) SELECT account_id, count(*) FROM usage_daily GROUP BY account_id")
        #expect(plan.stdout.components(separatedBy: "Async Foreign Scan").count == 3, "\(plan.stdout)")
        #expect(plan.stdout.contains("Remote SQL: SELECT account_id, count(*) FROM public.usage_daily GROUP BY 1"))

        let folder = try scratchFolder()
        for (name, store) in [("single", sharedDemoStore), ("sharded", coordinator)] {
            let run = try CLI.run(
                ["report"] + PostgresCLITests.reports + [
                    "--store", store, "--format", "json", "--output", folder + "/" + name,
                ])
            #expect(run.status == 0, "\(name): \(run.stderr)")
        }
        for id in PostgresCLITests.reports {
            let single = try String(contentsOfFile: "\(folder)/single/\(id).json", encoding: .utf8)
            let sharded = try String(contentsOfFile: "\(folder)/sharded/\(id).json", encoding: .utf8)
            #expect(single == sharded, "\(id) differs on the sharded store")
        }

        // An import into the sharded store lands on the shard of its account.
        try Data("id,name,created_on,segment\nNEW-1,Newco,2026-10-01,Tech\n".utf8).write(
            to: URL(fileURLWithPath: folder + "/accounts.csv"))
        let imported = try CLI.run(["import", "--store", coordinator, "--source-name", "crm", folder + "/accounts.csv"])
        #expect(imported.status == 0, "\(imported.stderr)")
        let found = try shards.map { try Backend.psql($0, "SELECT count(*) FROM accounts WHERE name = 'Newco'").stdout }
        #expect(found.sorted() == ["0\n", "1\n"], "\(found)")
        let again = try CLI.run(["store", "shard", "--store", coordinator, "--shard", shards[0], "--shard", shards[1]])
        #expect(again.status == 1 && again.stderr.contains("sharded already"), "\(again.stderr)")
    }
}
