import Foundation
import ZIPFoundation

/// A zip of export files (a Salesforce Data Export arrives as one) opened into a folder, flat: each
/// file under its own name, so the importer sees the same files as from the unpacked folder.
public enum ExportArchive {
    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    /// Whether `path` names a zip archive (by its first bytes, whatever its name).
    public static func isZip(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 4)) ?? Data()
        return Array(head) == [0x50, 0x4B, 0x03, 0x04]
    }

    /// Writes the archive's files into `folder` and returns their names. Folders inside the archive and
    /// macOS metadata (`__MACOSX/`, `._*`) are skipped; a name met twice, a checksum that does not match, or
    /// more than `limit` bytes written in all (a zip bomb) is a `Problem` naming the archive and the entry.
    public static func extract(_ zip: String, into folder: String, limit: Int, existing: Set<String> = [])
        throws -> [String]
    {
        let name = URL(fileURLWithPath: zip).lastPathComponent
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: zip), accessMode: .read)
        } catch {
            throw Problem(description: "\(name): not a readable zip archive")
        }
        var names: [String] = []
        var taken = existing
        var written = 0
        for entry in archive where entry.type == .file {
            guard names.count < 10_000 else {
                throw Problem(description: "\(name): more than 10,000 files; unpack it and import the folder")
            }
            let path = entry.path
            let base = path.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
            if path.hasPrefix("__MACOSX/") || base.hasPrefix("._") || base.isEmpty || base == "." || base == ".." {
                continue
            }
            guard !taken.contains(base) else {
                throw Problem(
                    description:
                        "\(name): \(path): a second file named \(base); unpack it and import the folders one at a time")
            }
            taken.insert(base)
            let target = URL(fileURLWithPath: folder).appendingPathComponent(base).path
            guard FileManager.default.createFile(atPath: target, contents: nil),
                let out = FileHandle(forWritingAtPath: target)
            else {
                throw Problem(description: "\(name): \(path): cannot write \(target)")
            }
            defer { try? out.close() }
            let checksum: CRC32
            do {
                checksum = try archive.extract(entry) { chunk in
                    written += chunk.count
                    guard written <= limit else {
                        throw Problem(
                            description:
                                "\(name): unpacks to more than \(limit / 1_048_576) MiB; unpack it and import the folder"
                        )
                    }
                    try out.write(contentsOf: chunk)
                }
            } catch let problem as Problem {
                throw problem
            } catch {
                throw Problem(description: "\(name): \(path): damaged entry (\(error))")
            }
            guard checksum == entry.checksum else {
                throw Problem(description: "\(name): \(path): checksum does not match; the archive is damaged")
            }
            names.append(base)
        }
        guard !names.isEmpty else { throw Problem(description: "\(name): the archive holds no files") }
        return names
    }
}
