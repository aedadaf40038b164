namespace Strata.Storage.Drivers;

/// <summary>
/// A streaming writer returned by <see cref="IBlobDriver.OpenWriterAsync"/>. Disposing without
/// <see cref="CommitAsync"/> keeps what was already committed by earlier writers and drops the
/// rest of this writer's data only if the driver cannot keep it durably.
/// </summary>
public interface IBlobWriter : IAsyncDisposable
{
    /// <summary>Total bytes of the object so far, including data appended by earlier writers.</summary>
    long Size { get; }

    Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Makes everything written durable and visible at the writer's path.</summary>
    Task CommitAsync(CancellationToken cancellationToken);

    /// <summary>Abandons the object: removes it and everything written to it.</summary>
    Task CancelAsync(CancellationToken cancellationToken);
}
