/* The NP entries whose prototype is not public (entries.h, NRP_THUNKED),
 * forwarded by an assembly thunk that never reads its arguments: it asks a
 * small C resolver for the stock entry and jumps to it, so the stock
 * provider sees exactly the registers and stack the caller left, and its
 * answer (return value, out-buffers, last error) reaches the caller without
 * passing through us. One stock call per call, as rule 1 asks.
 *
 * Why not a typed forwarder: the prototype of
 * NPGetPersistentUseOptionsForConnection2 is in no public header (not in
 * the Windows SDK, not in the windows-rs metadata); a guessed one would
 * copy a guessed number of arguments, and on i686 pop a guessed number of
 * bytes, on every call. Why not a .def forwarder (ntlanman.NP...): the stock
 * DLL is whatever LanmanWorkstation's ProviderPath names, loaded by
 * stock.c, not necessarily ntlanman.dll. docs/thunked-entries.md has the
 * whole argument and the evidence for the i686 fallback's arity below. */
#include <stddef.h>
#include "nrprov.h"
#include "stock_table.h"

/* What a thunked entry answers when the stock DLL lacks it (rule 1:
 * WN_NOT_SUPPORTED, or WN_NO_NETWORK without a stock DLL). The thunk jumps
 * here as it would to the stock entry, so this returns to the caller.
 *
 * x86_64: the caller removes its own arguments, so the arity is moot.
 * i686 (stdcall): the callee pops the arguments, and how many there are is
 * not public. NPGetPersistentUseOptionsForConnection2 takes five (20 bytes),
 * the arity of NPGetPersistentUseOptionsForConnection: in a current x64
 * ntlanman, ...ForConnection is a 16-byte stub next to the 127-byte
 * ...ForConnection2, a tail jump that passes its five arguments on
 * unchanged, so the two share their arity. Only a stock DLL that lacks the
 * entry under an MPR that calls it gets here (MPR and ntlanman ship
 * together, so that is a non-Microsoft stock provider): a wrong guess can
 * only hurt there. */
static DWORD APIENTRY absent_5(DWORD_PTR a1, DWORD_PTR a2, DWORD_PTR a3, DWORD_PTR a4, DWORD_PTR a5)
{
    (void)a1;
    (void)a2;
    (void)a3;
    (void)a4;
    (void)a5;
    return nrp_stock_table()->absent;
}
#define ABSENT_NPGetPersistentUseOptionsForConnection2 absent_5

/* The resolvers the thunks call: cdecl with no arguments, so on i686 the
 * caller's stacked arguments stay where they are, and on x86_64 the thunk
 * saves the argument registers around the call. Each traces the entry (its
 * arguments cannot be: nothing says what they are), keeps the thread's last
 * error, and returns the stock entry or the fallback above. A forwarded
 * call has no exit line (the stock entry returns straight to the caller);
 * an absent one has, since its answer is known here. */
static void (*resolve(const char *entry, void (*stock)(void), void (*absent)(void)))(void)
{
    static const DWORD_PTR none[1];

    nrp_trace_in(entry, L"arguments not traced: no public prototype", none);
    if (stock)
        return stock;
    nrp_trace_out(entry, nrp_stock_table()->absent);
    return absent;
}

#define RESOLVER(field, export)                                                                    \
    void (*nrp_thunk_##field(void))(void);                                                         \
    void (*nrp_thunk_##field(void))(void)                                                          \
    {                                                                                              \
        return resolve(#export, nrp_stock_table()->field, (void (*)(void))ABSENT_##export);        \
    }
NRP_THUNKED(RESOLVER)

/* The thunks themselves. The exports are undecorated on both architectures
 * (the .def names them; on i686 the C symbol takes the leading underscore,
 * __USER_LABEL_PREFIX__, and no @N since nothing here knows N). */
#define STR_(x) #x
#define STR(x) STR_(x)
#define SYM(name) STR(__USER_LABEL_PREFIX__) #name

#if defined(__x86_64__)
/* x86_64: rcx, rdx, r8 and r9 go to the caller's shadow space (ours to use,
 * and where they are found again whatever the resolver does), xmm0-3 into
 * our frame (a float among the first four arguments travels there only).
 * 104 bytes = 32 of shadow space for the resolver + 64 for xmm0-3 + 8 that
 * realign rsp to 16 (it is 8 mod 16 after the call that got us here). The
 * resolver is a call, so the thunk has unwind info; the last two
 * instructions are an epilogue the unwinder recognises (add rsp, then a
 * REX.W indirect jump, as compilers emit for a tail call). */
/* clang-format off */
#define THUNK(field, export)                                                  \
    __asm__(".text\n"                                                         \
            ".globl " SYM(export) "\n"                                        \
            ".def " SYM(export) "; .scl 2; .type 32; .endef\n"                \
            ".p2align 4\n"                                                    \
            ".seh_proc " SYM(export) "\n"                                     \
            SYM(export) ":\n"                                                 \
            "    movq %rcx, 8(%rsp)\n"                                        \
            "    movq %rdx, 16(%rsp)\n"                                       \
            "    movq %r8, 24(%rsp)\n"                                        \
            "    movq %r9, 32(%rsp)\n"                                        \
            "    subq $104, %rsp\n"                                           \
            "    .seh_stackalloc 104\n"                                       \
            "    .seh_endprologue\n"                                          \
            "    movaps %xmm0, 32(%rsp)\n"                                    \
            "    movaps %xmm1, 48(%rsp)\n"                                    \
            "    movaps %xmm2, 64(%rsp)\n"                                    \
            "    movaps %xmm3, 80(%rsp)\n"                                    \
            "    call " SYM(nrp_thunk_##field) "\n"                           \
            "    movaps 32(%rsp), %xmm0\n"                                    \
            "    movaps 48(%rsp), %xmm1\n"                                    \
            "    movaps 64(%rsp), %xmm2\n"                                    \
            "    movaps 80(%rsp), %xmm3\n"                                    \
            "    movq 112(%rsp), %rcx\n"                                      \
            "    movq 120(%rsp), %rdx\n"                                      \
            "    movq 128(%rsp), %r8\n"                                       \
            "    movq 136(%rsp), %r9\n"                                       \
            "    addq $104, %rsp\n"                                           \
            "    rex.W jmp *%rax\n"                                           \
            ".seh_endproc\n");
/* clang-format on */
#elif defined(__i386__)
/* i686: the arguments are on the stack above the return address, and the
 * resolver (cdecl, no arguments) leaves them there; eax, ecx and edx are
 * scratch in every Win32 convention an NP entry can have (stdcall). The
 * jump lands in the stock entry (or the fallback) with the stack exactly as
 * our caller made it, and that entry's ret $N pops the arguments. */
/* clang-format off */
#define THUNK(field, export)                                                  \
    __asm__(".text\n"                                                         \
            ".globl " SYM(export) "\n"                                        \
            ".def " SYM(export) "; .scl 2; .type 32; .endef\n"                \
            ".p2align 4\n"                                                    \
            SYM(export) ":\n"                                                 \
            "    call " SYM(nrp_thunk_##field) "\n"                           \
            "    jmp *%eax\n");
/* clang-format on */
#else
#error "thunk.c: no thunk for this architecture"
#endif
NRP_THUNKED(THUNK)
