import ArgumentParser
import GuideProtocol

extension GuideCtl {
    struct Version: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "version",
            abstract: "Print the versions of guidectl and of the running daemon (never starts one).")

        @OptionGroup var global: GlobalOptions

        func run() throws {
            try Self.run(global.daemon)
        }

        /// The command with its options as plain values (also run by ``QuickParse``).
        static func run(_ daemon: DaemonSocket) throws {
            Console.line("guidectl \(GuideVersion.current) (protocol \(ProtocolVersion.current))")
            guard let client = DaemonClient.connectIfRunning(daemon) else {
                Console.line("guided not running on \(daemon.path)")
                return
            }
            guard let version = try client.request(Request(command: .version)).version else {
                throw Console.fail("the daemon on \(client.path) did not say its version", .unavailable)
            }
            Console.line("guided \(version.daemon) (protocol \(version.protocol)) on \(client.path)" + (version.pid.map { ", pid \($0)" } ?? ""))
            if version.protocol != ProtocolVersion.current {
                Console.error("guided speaks protocol \(version.protocol), guidectl \(ProtocolVersion.current); restart guided after upgrading")
            }
        }
    }
}
