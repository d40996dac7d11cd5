package org.cnx.conveyor.transport;

import org.cnx.conveyor.support.OpenSshHost;
import org.cnx.conveyor.support.TestSshHost;

/** The SSH transport against real OpenSSH servers, as production hosts run. */
class SshConnectionOverOpenSshTest extends SshConnectionContract {

    @Override
    TestSshHost startHost(String name, TestSshHost.HostKeyType hostKeyType) {
        return OpenSshHost.start(name, hostKeyType);
    }
}
