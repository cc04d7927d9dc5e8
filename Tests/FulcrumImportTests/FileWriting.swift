import FulcrumImport

#if canImport(Glibc)
    import Glibc
#endif

extension String {
    /// Writes UTF-8 bytes with POSIX calls; keeps the tests free of Foundation.
    func write(toFile path: String) throws {
        let bytes = Array(utf8)
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw CSVError(code: .io, file: path, line: 0, column: 0, message: "cannot create") }
        defer { close(fd) }
        _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
    }
}
