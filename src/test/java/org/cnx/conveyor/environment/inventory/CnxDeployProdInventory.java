package org.cnx.conveyor.environment.inventory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes an inventory shaped like cnx-deploy's prod: 14 hosts, a group per host, children nested three deep. */
final class CnxDeployProdInventory {

    static final String INVENTORY = """
            [prod00]
            prod00.cnx.org
            [prod01]
            prod01.cnx.org
            [prod02]
            prod02.cnx.org
            [prod03]
            prod03.cnx.org
            [prod04]
            prod04.cnx.org
            [prod05]
            prod05.cnx.org
            [prod06]
            prod06.cnx.org
            [prod07]
            prod07.cnx.org
            [prod08]
            prod08.cnx.org
            [prod09]
            prod09.cnx.org
            [prod10]
            prod10.cnx.org
            [prod_files00]
            prod-files00.cnx.org
            [prod_files01]
            prod-files01.cnx.org
            [backup2]
            backup2.cnx.org

            # Functional groups
            [nfs:children]
            prod_files00
            prod_files01
            [database:children]
            prod09
            [replicant:children]
            prod10
            [archive:children]
            prod07
            prod08
            [publishing:children]
            prod08
            [authoring:children]
            [legacy_frontend:children]
            prod03
            [frontend:children]
            prod01
            prod02
            [webview:children]
            prod00
            [zeo:children]
            prod04
            [zclient:children]
            prod04
            prod05
            [press:children]
            prod06
            [backup:children]
            backup2

            # Groups of groups
            [zope:children]
            zeo
            zclient
            [db_connected:children]
            archive
            publishing
            authoring
            zope
            """;

    private CnxDeployProdInventory() {}

    /** Writes the inventory file into {@code dir} and returns {@code dir}. */
    static Path write(Path dir) throws IOException {
        Files.writeString(dir.resolve("inventory"), INVENTORY);
        return dir;
    }
}
