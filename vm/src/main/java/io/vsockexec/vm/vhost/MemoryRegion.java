package io.vsockexec.vm.vhost;

import io.vsockexec.nativeio.SharedMemory;

/**
 * One region of the guest's memory as the front-end describes it in {@code SET_MEM_TABLE}: where
 * it lies in guest-physical addresses and in the front-end's own address space, and the mapping
 * of its file here, in which the region starts at {@code mmapOffset}.
 */
record MemoryRegion(long guestAddress, long size, long userAddress, long mmapOffset, SharedMemory mapping) {

    /** True if the {@code length} bytes at {@code address} in the space starting at {@code base} lie inside. */
    static boolean covers(long base, long size, long address, long length) {
        // Unsigned arithmetic: guest addresses use all 64 bits.
        long offset = address - base;
        return Long.compareUnsigned(address, base) >= 0 && Long.compareUnsigned(offset, size) <= 0
                && Long.compareUnsigned(length, size - offset) <= 0;
    }
}
