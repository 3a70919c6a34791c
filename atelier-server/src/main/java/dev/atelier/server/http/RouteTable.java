package dev.atelier.server.http;

import java.util.List;

/** A domain's HTTP routes, listed as data. */
public interface RouteTable {
    List<Route> routes();
}
