import Foundation
import FulcrumStore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A store file that an import builds beside its final path (`PATH.importing-PID`) and links into
/// place when it is complete. `link(2)` never replaces an existing file, so of two imports creating
/// the same store at once exactly one places its file; and a killed import leaves only a file named
/// as unfinished, which the next import into that path removes.
public enum NewStore {
    public static let marker = ".importing-"

    public static func buildingPath(for path: String) -> String { path + marker + String(getpid()) }

    public enum Placement: Sendable {
        case placed
        /// Another process created a store at the path first.
        case taken
        case failed(String)
    }

    /// Links the finished (closed) store at `building` to `path` and removes the building name.
    public static func place(_ building: String, at path: String) -> Placement {
        defer { DemoLoader.removeStoreFiles(building) }
        if link(building, path) == 0 { return .placed }
        var code = errno
        if code == EEXIST { return .taken }
        if code == EPERM || code == ENOTSUP || code == EOPNOTSUPP || code == ENOSYS {
            // A file system without hard links (FAT, some network shares): claim the name with an exclusive
            // create, then rename the finished store over the claimed, empty file.
            let fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0o644)
            if fd < 0 {
                code = errno
                return code == EEXIST ? .taken : .failed(String(cString: strerror(code)))
            }
            close(fd)
            if rename(building, path) == 0 { return .placed }
            code = errno
            unlink(path)
        }
        return .failed(String(cString: strerror(code)))
    }

    /// Removes the unfinished stores of imports into `path` whose process is gone (killed or crashed).
    public static func removeAbandoned(beside path: String) {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let prefix = url.lastPathComponent + marker
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names where name.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count)
            let pidText = rest.prefix { $0.isNumber }
            guard let pid = Int32(pidText), rest.count == pidText.count else { continue }
            if kill(pid, 0) == 0 || errno == EPERM { continue }
            DemoLoader.removeStoreFiles(folder + "/" + name)
        }
    }
}
