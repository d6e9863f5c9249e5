package org.ltxfleet.infra.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.ltxfleet.common.config.Settings;
import org.ltxfleet.common.kafka.ConsumerLoop;
import org.ltxfleet.gateway.Gateway;
import org.ltxfleet.infra.stack.FleetStack;
import org.ltxfleet.infra.stack.StackLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./fleet gateway}: one gateway joining the stack of a data directory, in a process of its own. */
@Command(name = "gateway", mixinStandardHelpOptions = true,
        description = "Run one API gateway against the broker and store of the data directory (./fleet kafka, ./fleet s3 "
                + "or ./fleet up --no-workers).")
final class GatewayCommand implements Callable<Integer> {

    @Mixin
    DataDirArg data;

    @Option(names = "--port", description = "HTTP port of the API (default: ${DEFAULT-VALUE}; 0 = any free port)")
    int port = 8080;

    @Option(names = "--metrics-port", description = "port of the gateway's /metrics, apart from the API "
            + "(default: ${DEFAULT-VALUE} = any free port, so several gateways run on one host; -1 = off)")
    int metricsPort = 0;

    @Option(names = "--allow-private-urls",
            description = "let webhooks go to loopback and private addresses (local use only)")
    boolean allowPrivateUrls;

    @Override
    public Integer call() throws Exception {
        ConsumerLoop.exitOnFatal();
        var layout = new StackLayout(data.dataDir);
        String key = FleetStack.devKey(layout, System.getenv("FLEET_API_KEY"));
        var gateway = Gateway.start(layout.config(allowPrivateUrls).with("gateway.port", Integer.toString(port))
                .with(Settings.GATEWAY_METRICS_PORT.key(), Integer.toString(metricsPort)));
        Console.step("gateway up at http://127.0.0.1:" + gateway.port() + " (dev API key " + key + ")"
                + (gateway.services().settings().console() ? "; console at http://127.0.0.1:" + gateway.port()
                        + org.ltxfleet.gateway.console.ConsoleRoutes.PATH : "")
                + (gateway.metricsPort().isPresent() ? "; metrics at " + FleetStack.metricsUrl(gateway) : ""));
        Console.serveUntilStopped(List.of(gateway));
        return 0;
    }
}
