import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Testing

@testable import FulcrumStore

/// The hand-over between `store copy`'s reading thread and its COPY writer: memory stays bounded because the
/// reader waits while `capacity` chunks are in flight, and a writer that gives up never leaves it waiting.
@Suite struct ChunkChannelTests {
    @Test(
        "the reader is never more than `capacity` chunks ahead; items arrive in order; a stopped writer makes it throw")
    func boundedInOrderAndStoppable() async throws {
        let channel = ChunkChannel(capacity: 2)
        let sent = NIOLockedValueBox(0)
        let outcome = NIOLockedValueBox<String?>(nil)
        let finished = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            do {
                for i in 0..<100 {
                    try channel.send(.chunk(ByteBuffer(integer: UInt32(i))))
                    sent.withLockedValue { $0 += 1 }
                }
                outcome.withLockedValue { $0 = "sent all" }
            } catch is CancellationError {
                outcome.withLockedValue { $0 = "stopped" }
            } catch {
                outcome.withLockedValue { $0 = "\(error)" }
            }
            finished.signal()
        }
        var taken: [UInt32] = []
        while taken.count < 5, let item = await channel.next() {
            guard case .chunk(var buffer) = item else {
                Issue.record("not a chunk: \(item)")
                break
            }
            taken.append(buffer.readInteger(as: UInt32.self) ?? 999)
            // Taken items made room for as many more; `capacity` (2) may be waiting in the channel besides.
            #expect(sent.withLockedValue { $0 } <= taken.count + 2)
        }
        #expect(taken == [0, 1, 2, 3, 4])
        channel.stop()
        #expect(finished.wait(timeout: .now() + 30) == .success, "the reader still waits after the writer stopped")
        #expect(outcome.withLockedValue { $0 } == "stopped")
        #expect(sent.withLockedValue { $0 } < 100)
    }

    @Test("a failure on the reading side reaches the writer after what was sent before it")
    func failureArrivesInOrder() async throws {
        struct ReadFailed: Error {}
        let channel = ChunkChannel(capacity: 4)
        try channel.send(.table(name: "accounts", columns: ["id"]))
        try channel.send(.chunk(ByteBuffer(string: "1\n")))
        channel.fail(ReadFailed())
        var kinds: [String] = []
        while let item = await channel.next() {
            switch item {
            case .table: kinds.append("table")
            case .chunk: kinds.append("chunk")
            case .tableEnd: kinds.append("end")
            case .failed(let error): kinds.append(error is ReadFailed ? "failed" : "other")
            }
        }
        #expect(kinds == ["table", "chunk", "failed"])
    }
}

extension ChunkChannelTests {
    @Test("a channel given up with chunks still in flight is freed without trapping")
    func givenUpWithChunksInFlight() throws {
        for _ in 0..<50 {
            let channel = ChunkChannel(capacity: 3)
            try channel.send(.table(name: "touches", columns: ["id"]))
            try channel.send(.chunk(ByteBuffer(string: "1\n")))
            channel.stop()
            #expect(throws: CancellationError.self) { try channel.send(.tableEnd) }
        }
    }
}
