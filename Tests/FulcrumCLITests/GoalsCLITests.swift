import Foundation
import Testing

@Suite("fulcrum goals: the goal tree, every node a report's cell")
struct GoalsCLITests {
    static let store: String = {
        let folder = try! scratchFolder()
        let path = folder + "/demo.sqlite"
        let result = try! CLI.run(["demo", "--store", path])
        precondition(result.status == 0, result.stderr)
        return path
    }()

    @Test("the default tree after seed 000; values equal the reports' cells at the last complete quarter")
    func defaultTree() throws {
        let result = try CLI.run(["goals", "--store", Self.store, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let nodes = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        let ids = nodes.compactMap { $0["id"] as? String }
        #expect(Array(ids.prefix(2)) == ["ltv", "cac"])
        #expect(Set(["mqls", "sqls", "pipeline", "bookings", "churn", "upsell", "calls", "demos"]).isSubset(of: ids))
        let mqls = try #require(nodes.first { $0["id"] as? String == "mqls" })
        let leads = try CLI.run(["report", "leads", "--store", Self.store, "--period", "quarter", "--format", "json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(leads.stdout.utf8)) as? [String: Any])
        let row = try #require((report["rows"] as? [[String: Any]])?.last { ($0["partial"] as? Bool) == false })
        #expect(mqls["period"] as? String == row["quarter"] as? String)
        #expect((mqls["value"] as? NSNumber)?.doubleValue == (row["mqls"] as? NSNumber)?.doubleValue)
        for node in nodes where (node["level"] as? String) != "business goal" {
            #expect(!(node["parents"] as? [String] ?? []).isEmpty, "\(node["id"] ?? "?") serves a goal or objective")
        }
    }

    @Test("a tree file with an unknown parent or key is an error naming the file")
    func badTree() throws {
        let folder = try scratchFolder()
        let path = folder + "/goals.yaml"
        try Data(
            """
            nodes:
              - id: mqls
                name: MQLs
                level: team objective
                report: leads
                column: mqls
                parents: [nowhere]
            """.utf8
        ).write(to: URL(fileURLWithPath: path))
        let result = try CLI.run(["goals", "--store", Self.store, "--tree", path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("goals.yaml: node 'mqls' names parent 'nowhere'"), "\(result.stderr)")
        try Data("nodes:\n  - id: x\n    colour: red\n".utf8).write(to: URL(fileURLWithPath: path))
        let unknown = try CLI.run(["goals", "--store", Self.store, "--tree", path])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("goals.yaml:2:"), "\(unknown.stderr)")
        #expect(unknown.stderr.contains("unknown key 'colour'"))
    }
}
