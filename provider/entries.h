/* Every NP entry point netreclaim.dll exports, each forwarded to the stock
 * provider's entry of the same name: X(field, export). From these two lists
 * come the stock table's fields and its resolver (stock_table.h, stock.c),
 * the .def and the list the static export check reads (CMakeLists.txt, via
 * cmake/entries.cmake), and the entries the NP-level differential test must
 * cover (tests/wine/clients/npdiff.c).
 *
 * NRP_ENTRIES: entries with a public prototype (np_decl.h declares what
 * mingw lacks), each with a typed, traced forwarder in np.c; a new one is a
 * line here plus its forwarder. NRP_THUNKED: entries whose prototype is not
 * public, forwarded by an assembly thunk that never reads its arguments
 * (thunk.c, docs/thunked-entries.md); their table field is a plain
 * void (*)(void).
 *
 * The table's fields are named apart from the exports, so a stock call
 * never reads like a call to our own entry. One entry per line, in the
 * X(field, export) shape: CMake reads both lists with one regular
 * expression. */
#ifndef NETRECLAIM_ENTRIES_H
#define NETRECLAIM_ENTRIES_H

// clang-format off
#define NRP_ENTRIES(X) \
    X(get_caps, NPGetCaps) \
    X(add_connection, NPAddConnection) \
    X(add_connection3, NPAddConnection3) \
    X(add_connection4, NPAddConnection4) \
    X(cancel_connection, NPCancelConnection) \
    X(cancel_connection2, NPCancelConnection2) \
    X(get_connection, NPGetConnection) \
    X(get_connection3, NPGetConnection3) \
    X(get_connection_performance, NPGetConnectionPerformance) \
    X(get_universal_name, NPGetUniversalName) \
    X(get_user, NPGetUser) \
    X(open_enum, NPOpenEnum) \
    X(enum_resource, NPEnumResource) \
    X(close_enum, NPCloseEnum) \
    X(get_resource_information, NPGetResourceInformation) \
    X(get_resource_parent, NPGetResourceParent) \
    X(format_network_name, NPFormatNetworkName) \
    X(get_persistent_use_options, NPGetPersistentUseOptionsForConnection) \
    X(get_reconnect_flags, NPGetReconnectFlags)

#define NRP_THUNKED(X) \
    X(get_persistent_use_options2, NPGetPersistentUseOptionsForConnection2)
// clang-format on

#endif
