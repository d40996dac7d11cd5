package org.cnx.conveyor.rollout;

import static org.cnx.conveyor.transport.Shell.quote;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cnx.conveyor.environment.definition.RolloutSpec.LoadBalancer;
import org.cnx.conveyor.transport.Shell;

/**
 * The commands that move a server in the load balancer, run on a host of the environment: a call of haproxy's runtime
 * API (over its admin socket or TCP, with Python's standard library, so the host needs nothing else) that then waits
 * until the server is drained or up, or the environment's command hook.
 */
public final class LoadBalancerCommands {

    /** Exit status of the haproxy call when the server did not reach the wanted condition in time. */
    public static final int TIMED_OUT = 3;

    // argv: address, backend/server, state, timeout seconds. Prints one line saying what it saw.
    static final String HAPROXY_SCRIPT = """
            import socket, sys, time
            addr, target, state, timeout = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
            def ask(cmd):
                if addr.startswith('/'):
                    s = socket.socket(socket.AF_UNIX)
                    s.settimeout(5)
                    s.connect(addr)
                else:
                    host, port = addr.rsplit(':', 1)
                    s = socket.create_connection((host.strip('[]'), int(port)), 5)
                s.sendall((cmd + '\\n').encode())
                out = b''
                while True:
                    data = s.recv(65536)
                    if not data:
                        break
                    out += data
                s.close()
                return out.decode()
            def stat():
                backend, server = target.split('/', 1)
                for line in ask('show stat').splitlines():
                    f = line.split(',')
                    if len(f) > 17 and f[0] == backend and f[1] == server:
                        return int(f[2] or 0), int(f[4] or 0), f[17]
                sys.exit('haproxy has no server ' + target)
            answer = ask('set server %s state %s' % (target, state)).strip()
            if answer:
                sys.exit('haproxy refused: ' + answer)
            deadline = time.time() + timeout
            while True:
                queued, sessions, status = stat()
                if state == 'ready':
                    if status.startswith('UP') and '/' not in status or status == 'no check':
                        print('%s is up (%s)' % (target, status))
                        break
                elif queued + sessions == 0:
                    print('%s is %s with no sessions left' % (target, state))
                    break
                if time.time() > deadline:
                    print('%s: %d session(s), %d queued, status %s after %ss' % (target, sessions, queued, status, timeout))
                    sys.exit(3)
                time.sleep(0.1)
            """;

    private LoadBalancerCommands() {}

    /** The command that puts {@code backend/server} in {@code state} and waits for it, for the configured balancer. */
    public static String command(LoadBalancer lb, String server, ServerState state, Map<String, String> env) {
        if (lb.haproxy().isPresent()) {
            return haproxy(lb.haproxy().get(), server, state, lb.timeout());
        }
        String hook = state == ServerState.READY
                ? lb.enable().orElseThrow()
                : lb.drain().orElseThrow();
        return hook(hook, server, state, env);
    }

    /** A call of haproxy's runtime API at {@code address} (a socket path or host:port). */
    public static String haproxy(String address, String server, ServerState state, Duration timeout) {
        return "python3 -c " + quote(HAPROXY_SCRIPT) + " " + quote(address) + " " + quote(server) + " "
                + quote(state.word()) + " " + timeout.toSeconds();
    }

    /** A command hook, told which server and state through {@code CONVEYOR_LB_*} variables. */
    public static String hook(String script, String server, ServerState state, Map<String, String> env) {
        Map<String, String> all = new LinkedHashMap<>(env);
        String[] parts = server.split("/", 2);
        all.put("CONVEYOR_LB_BACKEND", parts[0]);
        all.put("CONVEYOR_LB_SERVER", parts.length > 1 ? parts[1] : "");
        all.put("CONVEYOR_LB_STATE", state.word());
        return Shell.inDirectory("/", all, script);
    }
}
