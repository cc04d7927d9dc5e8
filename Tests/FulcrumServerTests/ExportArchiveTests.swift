import Foundation
import FulcrumService
import Hummingbird
import HummingbirdTesting
import Testing
import ZIPFoundation

@testable import FulcrumServer

@Suite("Zip uploads: a Salesforce Data Export as downloaded")
struct ExportArchiveTests {
    /// A zip holding `files` (path → text), as an export tool writes it.
    static func zip(_ files: [(String, String)], at path: String) throws {
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        for (name, text) in files {
            let data = Data(text.utf8)
            try archive.addEntry(
                with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate
            ) { position, size in data.subdata(in: Int(position)..<Int(position) + size) }
        }
    }

    static let accounts = "id,name,domain,segment,created_on\nA-1,Acme,acme.com,Tech,2024-01-05\n"
    static let subscriptions =
        "id,account_id,plan,product,interval,amount_minor,currency,status,started_on,ended_on\nS-1,A-1,Growth,Core,month,50000,USD,active,2024-01-15,\n"

    @Test("a zip's files are imported like the unpacked folder; folders inside and macOS metadata are skipped")
    func uploadZip() async throws {
        let folder = try temporaryFolder()
        let zipPath = folder + "/export.zip"
        try Self.zip(
            [
                ("export/accounts.csv", Self.accounts), ("export/subscriptions.csv", Self.subscriptions),
                ("__MACOSX/export/._accounts.csv", "junk"),
            ], at: zipPath)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: zipPath))
        var body = Data("--zz\r\nContent-Disposition: form-data; name=\"source\"\r\n\r\ncanonical\r\n".utf8)
        body += Data(
            "--zz\r\nContent-Disposition: form-data; name=\"files\"; filename=\"export.zip\"\r\nContent-Type: application/zip\r\n\r\n"
                .utf8)
        body += bytes + Data("\r\n--zz--\r\n".utf8)
        let upload = body
        let store = folder + "/store.sqlite"
        try await withServer(store: store) { client in
            let id = try await client.execute(
                uri: "/api/v1/imports", method: .post, headers: [.contentType: "multipart/form-data; boundary=zz"],
                body: ByteBuffer(bytes: upload)
            ) { response in
                #expect(response.status == .accepted, "\(response.text)")
                let job = try #require(response.json as? [String: Any])
                #expect(job["files"] as? [String] == ["accounts.csv", "subscriptions.csv"])
                return try #require(job["id"] as? String)
            }
            #expect(try await AccessAndImportTests().waitForJob(client, id) == "succeeded")
            try await client.execute(uri: "/api/v1/reports/mrr", method: .get) { response in
                let rows = (response.json as? [String: Any])?["rows"] as? [[String: Any]]
                #expect((rows?.last?["mrr"] as? NSNumber)?.doubleValue == 500)
            }
        }
    }

    @Test("a zip that unpacks beyond the limit, holds a name twice, or is not a zip: a problem naming it")
    func badArchives() throws {
        let folder = try temporaryFolder()
        let bomb = folder + "/bomb.zip"
        try Self.zip([("big.csv", String(repeating: "0", count: 1_000_000))], at: bomb)
        let out = try temporaryFolder()
        #expect(ExportArchive.isZip(bomb))
        #expect(throws: ExportArchive.Problem.self) { try ExportArchive.extract(bomb, into: out, limit: 100_000) }
        let twice = folder + "/twice.zip"
        try Self.zip([("a/accounts.csv", Self.accounts), ("b/accounts.csv", Self.accounts)], at: twice)
        do {
            _ = try ExportArchive.extract(twice, into: try temporaryFolder(), limit: 1 << 30)
            Issue.record("a name met twice must be refused")
        } catch let problem as ExportArchive.Problem {
            #expect(problem.description.contains("twice.zip: b/accounts.csv"))
        }
        let text = folder + "/notes.txt"
        try Data("hello".utf8).write(to: URL(fileURLWithPath: text))
        #expect(!ExportArchive.isZip(text))
    }
}
