package org.cnx.conveyor.transport;

import org.cnx.conveyor.support.MinaSshHost;
import org.cnx.conveyor.support.TestSshHost;

/** The SSH transport against Apache MINA SSHD hosts inside the test JVM. */
class SshConnectionOverMinaTest extends SshConnectionContract {

    @Override
    TestSshHost startHost(String name, TestSshHost.HostKeyType hostKeyType) {
        return MinaSshHost.start(name, hostKeyType);
    }
}
