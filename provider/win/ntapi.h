/* Native API declarations mingw's winternl.h lacks (layouts as documented by
 * System Informer's phnt and Wine's winternl.h). */
#ifndef NETRECLAIM_NTAPI_H
#define NETRECLAIM_NTAPI_H

#include <stddef.h>
#include <windows.h>
#include <winternl.h>

#ifndef STATUS_INFO_LENGTH_MISMATCH
#define STATUS_INFO_LENGTH_MISMATCH ((NTSTATUS)0xC0000004)
#endif
/* What a Windows without an information class answers (Windows 7 for
 * ProcessHandleInformation; Wine 8 answers STATUS_INVALID_INFO_CLASS). */
#ifndef STATUS_NOT_IMPLEMENTED
#define STATUS_NOT_IMPLEMENTED ((NTSTATUS)0xC0000002)
#endif
#ifndef STATUS_INVALID_INFO_CLASS
#define STATUS_INVALID_INFO_CLASS ((NTSTATUS)0xC0000003)
#endif
#ifndef STATUS_PROCESS_IS_TERMINATING
#define STATUS_PROCESS_IS_TERMINATING ((NTSTATUS)0xC000010A)
#endif
#ifndef STATUS_BUFFER_TOO_SMALL
#define STATUS_BUFFER_TOO_SMALL ((NTSTATUS)0xC0000023)
#endif

#define SystemExtendedHandleInformation ((SYSTEM_INFORMATION_CLASS)64)

/* NtQuerySystemInformation(SystemSessionProcessInformation), Windows 2000 and
 * later: the SystemProcessInformation list of one Remote Desktop session.
 * The query's buffer is this header; the list goes to Buffer, SizeOfBuf
 * bytes (layout: System Informer's phnt, phnt/include/ntexapi.h, which names
 * the second field BufferSize). What the kernel does with it, in the Windows
 * Research Kernel (base/ntos/ex/sysinfo.c, NtQuerySystemInformation and
 * ExpGetProcessInformation):
 * - an outer length below sizeof(header): STATUS_INFO_LENGTH_MISMATCH,
 *   before anything else; a Buffer not ULONG-aligned:
 *   STATUS_DATATYPE_MISALIGNMENT;
 * - the list is class 5's (the same SYSTEM_PROCESS_INFORMATION entries and
 *   threads), of the processes whose session is SessionId, without the idle
 *   process and the processes already exiting;
 * - *ReturnLength is the bytes the list takes in Buffer: written on success,
 *   needed on STATUS_INFO_LENGTH_MISMATCH (a SizeOfBuf too small), 0 for a
 *   session with no process. System Informer's PhEnumProcessesForSession
 *   (phlib/native.c) reads it so ("size of the inner buffer gets returned")
 *   and regrows on STATUS_BUFFER_TOO_SMALL as on the mismatch.
 * A 32-bit process on 64-bit Windows was seen to get sizeof(header) as the
 * length every time (R. Weijnen, "Enumerating Session Processes with
 * NtQuerySystemInformation", 2011): a length not to rely on. Wine 8 answers
 * STATUS_INVALID_INFO_CLASS (measured: seam_test's "class 53 measured"). */
#define NRWIN_SESSION_PROCESS_CLASS ((SYSTEM_INFORMATION_CLASS)53)

typedef struct _SYSTEM_SESSION_PROCESS_INFORMATION {
    ULONG SessionId;
    ULONG SizeOfBuf;
    PVOID Buffer;
} SYSTEM_SESSION_PROCESS_INFORMATION;

#ifdef _WIN64
C_ASSERT(sizeof(SYSTEM_SESSION_PROCESS_INFORMATION) == 16);
#else
C_ASSERT(sizeof(SYSTEM_SESSION_PROCESS_INFORMATION) == 12);
#endif

typedef struct _SYSTEM_HANDLE_TABLE_ENTRY_INFO_EX {
    PVOID Object;
    ULONG_PTR UniqueProcessId;
    ULONG_PTR HandleValue;
    ULONG GrantedAccess;
    USHORT CreatorBackTraceIndex;
    USHORT ObjectTypeIndex;
    ULONG HandleAttributes;
    ULONG Reserved;
} SYSTEM_HANDLE_TABLE_ENTRY_INFO_EX;

typedef struct _SYSTEM_HANDLE_INFORMATION_EX {
    ULONG_PTR NumberOfHandles;
    ULONG_PTR Reserved;
    SYSTEM_HANDLE_TABLE_ENTRY_INFO_EX Handles[1];
} SYSTEM_HANDLE_INFORMATION_EX;

/* NtQueryInformationProcess(ProcessHandleInformation), Windows 8 and later:
 * one process's handle table. Layout as in System Informer's phnt
 * (phnt/include/ntpsapi.h: PROCESS_HANDLE_TABLE_ENTRY_INFO,
 * PROCESS_HANDLE_SNAPSHOT_INFORMATION) and in the symbols Microsoft ships
 * (ntdiff/headers, Win10_1507 x86 ole32.dll: HandleValue 0x0, HandleCount
 * 0x4, PointerCount 0x8, GrantedAccess 0xc, ObjectTypeIndex 0x10,
 * HandleAttributes 0x14, Reserved 0x18; size 0x1c). The counts are
 * pointer-sized, the rest ULONG: 40 bytes a row on x64, 28 on x86. */
#define NRWIN_PROCESS_HANDLE_CLASS ((PROCESSINFOCLASS)51)

typedef struct _PROCESS_HANDLE_TABLE_ENTRY_INFO {
    HANDLE HandleValue;
    ULONG_PTR HandleCount;
    ULONG_PTR PointerCount;
    ACCESS_MASK GrantedAccess;
    ULONG ObjectTypeIndex;
    ULONG HandleAttributes;
    ULONG Reserved;
} PROCESS_HANDLE_TABLE_ENTRY_INFO;

typedef struct _PROCESS_HANDLE_SNAPSHOT_INFORMATION {
    ULONG_PTR NumberOfHandles;
    ULONG_PTR Reserved;
    PROCESS_HANDLE_TABLE_ENTRY_INFO Handles[1];
} PROCESS_HANDLE_SNAPSHOT_INFORMATION;

#ifdef _WIN64
C_ASSERT(sizeof(PROCESS_HANDLE_TABLE_ENTRY_INFO) == 40);
C_ASSERT(offsetof(PROCESS_HANDLE_TABLE_ENTRY_INFO, GrantedAccess) == 24);
C_ASSERT(offsetof(PROCESS_HANDLE_TABLE_ENTRY_INFO, HandleAttributes) == 32);
C_ASSERT(offsetof(PROCESS_HANDLE_SNAPSHOT_INFORMATION, Handles) == 16);
#else
C_ASSERT(sizeof(PROCESS_HANDLE_TABLE_ENTRY_INFO) == 0x1c);
C_ASSERT(offsetof(PROCESS_HANDLE_TABLE_ENTRY_INFO, ObjectTypeIndex) == 0x10);
C_ASSERT(offsetof(PROCESS_HANDLE_TABLE_ENTRY_INFO, HandleAttributes) == 0x14);
C_ASSERT(offsetof(PROCESS_HANDLE_SNAPSHOT_INFORMATION, Handles) == 8);
#endif

#endif
