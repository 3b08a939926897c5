import de.nnkurs.data.*; import de.nnkurs.run.*; import de.nnkurs.training.*; import de.nnkurs.export.*; import de.nnkurs.evaluation.*; import java.nio.file.Path;
MnistData mnist = MnistData.load(MnistFetcher.ensure(Path.of("data/mnist")));
TrainedModel trained = TrainingRun.lesson().data(mnist).saveTo(Path.of("models/jshell")).exportForServing().run(RunListener.printEpochs(System.out));
trained.close();
Path served = Path.of("models/serving/jshell");
Evaluation evaluation = Evaluation.of(served, mnist.test(), de.nnkurs.ProgressListener.NONE);
System.out.print(evaluation.matrix().table());
DigitClassifier classifier = DigitClassifier.open(served);
System.out.println(classifier.predict(DigitImages.of(mnist.test(), 0)).best());
/exit
