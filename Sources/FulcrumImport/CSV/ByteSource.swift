#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the reader pulls bytes from; lets tests feed memory through the same
/// chunked path that files use, so buffer-boundary bugs show up in tests.
protocol ByteSource: AnyObject {
    /// Fills the start of `buffer`; returns 0 only at end of input.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(CSVError) -> Int
}

/// Reads a file with POSIX `read` straight into the reader's buffer, avoiding a
/// `Data` copy per chunk.
final class FileByteSource: ByteSource {
    private let fd: Int32
    private let path: String

    init(path: String) throws(CSVError) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw CSVError(
                code: .io, file: path, line: 1, column: 1,
                message: "cannot open file: \(String(cString: strerror(errno)))")
        }
        self.fd = fd
        self.path = path
    }

    deinit { close(fd) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(CSVError) -> Int {
        while true {
            let n = posixRead(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw CSVError(
                code: .io, file: path, line: 1, column: 1,
                message: "read failed: \(String(cString: strerror(errno)))")
        }
    }
}

/// The libc `read`, named apart from `ByteSource.read`.
private func posixRead(_ fd: Int32, _ p: UnsafeMutableRawPointer?, _ n: Int) -> Int {
    read(fd, p, n)
}

/// Serves an in-memory byte array in chunks.
final class MemoryByteSource: ByteSource {
    private let bytes: [UInt8]
    private var offset = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(CSVError) -> Int {
        let n = min(buffer.count, bytes.count - offset)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { src in
            buffer.baseAddress!.copyMemory(from: src.baseAddress! + offset, byteCount: n)
        }
        offset += n
        return n
    }
}
