import Foundation
import Testing

@Suite("fulcrum serve: refuses what it must before listening; stops gracefully")
struct ServeCLITests {
    @Test("a host other machines can reach without a token is refused (exit 64, says how to set one)")
    func exposedWithoutToken() throws {
        let result = try CLI.run(["serve", "--host", "0.0.0.0", "--store", "/nonexistent/store.sqlite"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("FULCRUM_TOKEN"))
        let short = try CLI.run(
            ["serve", "--host", "0.0.0.0", "--store", "/nonexistent/store.sqlite"],
            environment: ["FULCRUM_TOKEN": "short"])
        #expect(short.status == 64)
        #expect(short.stderr.contains("at least 16 characters"))
        #expect(!short.stderr.contains("short\n"), "the token itself is never printed")
        let port = try CLI.run(["serve", "--port", "70000"])
        #expect(port.status == 64)
        #expect(port.stderr.contains("--port"))
    }

    @Test("it serves on the port it prints, and SIGTERM stops it with exit 0")
    func startsAndStops() throws {
        let folder = try scratchFolder()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["serve", "--store", folder + "/empty.sqlite", "--port", "0"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        let text = String(decoding: line, as: UTF8.self)
        #expect(text.contains("Fulcrum is serving http://127.0.0.1:"), "\(text)")
        process.terminate()  // SIGTERM
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
    }
}
