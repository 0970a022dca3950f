namespace WordCloud.Silo;

/// <summary>The silo cannot start where and how it was asked to; the message says why and what to do.</summary>
public sealed class SiloStartupException(string message) : Exception(message);
