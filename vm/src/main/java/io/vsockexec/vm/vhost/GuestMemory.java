package io.vsockexec.vm.vhost;

import java.io.Closeable;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The guest's memory, mapped into this process: the regions of the front-end's last
 * {@code SET_MEM_TABLE}. Addresses from the guest are translated here, and only here, into
 * bounds-checked segments; an address range that is not wholly inside one region is a
 * {@link GuestMemoryException}, never an access outside the mapping.
 */
public final class GuestMemory implements Closeable {
    private final List<MemoryRegion> regions;

    GuestMemory(List<MemoryRegion> regions) {
        this.regions = List.copyOf(regions);
    }

    /** The {@code length} bytes at guest-physical {@code address}, where descriptors point. */
    public MemorySegment guest(long address, long length) throws GuestMemoryException {
        for (MemoryRegion r : regions) {
            if (MemoryRegion.covers(r.guestAddress(), r.size(), address, length)) {
                return r.mapping().segment().asSlice(r.mmapOffset() + (address - r.guestAddress()), length);
            }
        }
        throw new GuestMemoryException("guest address range 0x" + Long.toHexString(address) + "+" + length
                + " is outside the guest's memory");
    }

    /** The {@code length} bytes at the front-end's {@code address}, where rings are placed. */
    MemorySegment user(long address, long length) throws GuestMemoryException {
        for (MemoryRegion r : regions) {
            if (MemoryRegion.covers(r.userAddress(), r.size(), address, length)) {
                return r.mapping().segment().asSlice(r.mmapOffset() + (address - r.userAddress()), length);
            }
        }
        throw new GuestMemoryException("ring address range 0x" + Long.toHexString(address) + "+" + length
                + " is outside the front-end's memory regions");
    }

    /** Unmaps every region; segments handed out before throw on access from now on. */
    @Override
    public void close() {
        regions.forEach(r -> r.mapping().close());
    }
}
