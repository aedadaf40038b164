using System.Net.Sockets;
using Strata.Storage.S3;

namespace Strata.Storage.Tests.S3;

/// <summary>Which failures count as "the store is unavailable, try again" (the server answers 503 for those, not 500).</summary>
public sealed class S3FailureClassificationTests
{
    public static TheoryData<Exception> NoAnswer => new()
    {
        new HttpRequestException("connection refused"),
        new IOException("connection reset"),
        new TimeoutException(),
        // HttpClient lets a bare SocketException through when a connection is reset as it opens.
        new SocketException((int)SocketError.NotConnected),
    };

    [Theory]
    [MemberData(nameof(NoAnswer))]
    public void A_store_that_does_not_answer_is_a_transient_store_failure(Exception failure)
    {
        Assert.True(S3BlobDriver.IsStoreFailure(failure, CancellationToken.None));
        Assert.True(S3StorageException.From("GetObject", "k", failure).IsTransient);
    }

    [Fact]
    public void A_cancellation_the_caller_asked_for_is_not_a_store_failure()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.False(S3BlobDriver.IsStoreFailure(new OperationCanceledException(cancelled.Token), cancelled.Token));
        Assert.True(S3BlobDriver.IsStoreFailure(new OperationCanceledException(), CancellationToken.None));
    }
}
